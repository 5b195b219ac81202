import {
  CATALOGUE,
  type Finding,
  type PatchPolicy,
  verdictOf,
} from '../../../core/index.js';
import {
  approveUpdate,
  MAX_REPORTED_UPDATES,
  patchSettings,
  toReported,
} from '../../../core/patches/index.js';
import type { CheckResult } from '../types.js';
import type { PatchProbe } from './apt-probe.js';
import type { FailedInstall, PatchState, PendingUpdate } from './types.js';

const DAY_MS = 86_400_000;
/** Update ids listed in the report; the counts cover the rest. */
const MAX_LISTED = 20;
/** Failed installs turned into findings, newest first. */
const MAX_FAILED = 5;

/**
 * Pure. A search that did not run, or package lists that were never
 * fetched, give `missing: null` and a status-unknown finding: a zero is
 * reported only when a search ran and found nothing.
 */
export function judgePatches(
  probe: PatchProbe,
  policy: PatchPolicy,
  now: Date,
): CheckResult {
  const { state } = probe;
  const unknown = state ? whyUnknown(state) : [];
  if (!state?.updates || unknown.length > 0) {
    const findings = [...probe.problems, ...unknown];
    if (!findings.some((f) => f.code === 'patch.status-unknown')) {
      findings.push(statusUnknown(state, 'the update search did not run'));
    }
    return {
      verdict: verdictOf(findings, 'unknown'),
      findings,
      data: { source: state?.source ?? null, missing: null },
    };
  }

  const findings = [
    ...probe.problems,
    ...missingFindings(state.updates, policy, now),
    ...stateFindings(state, policy),
  ];
  return {
    verdict: verdictOf(findings),
    findings,
    data: summary(state, state.updates, policy, now),
  };
}

/** Root causes first (the service), then the unknown status they cause. */
function whyUnknown(state: PatchState): Finding[] {
  const service = state.service;
  if (service && service.startMode === null) {
    return [
      catalogued('wu.service-missing', 'wuauserv'),
      statusUnknown(state, 'the Windows Update service does not exist'),
    ];
  }
  if (service?.startMode === 'Disabled') {
    return [
      catalogued('wu.service-disabled', 'wuauserv'),
      statusUnknown(state, 'the Windows Update service is disabled'),
    ];
  }
  if (state.searchError) {
    const { hresult, message } = state.searchError;
    return [
      catalogued(wuCodeFor(hresult), 'windows-update', hresult),
      statusUnknown(state, `the search failed: ${message.slice(0, 120)}`),
    ];
  }
  if (state.source === 'apt' && state.listAgeDays === undefined) {
    return [statusUnknown(state, 'apt has no package lists')];
  }
  return [];
}

function statusUnknown(state: PatchState | undefined, why: string): Finding {
  return {
    code: 'patch.status-unknown',
    severity: 'critical',
    subject: state?.source ?? 'patches',
    title: `Patch status unknown: ${why}`,
    ...(state?.searchError?.hresult
      ? { hresult: state.searchError.hresult }
      : {}),
    detail: {
      ...(state?.service ? { service: state.service } : {}),
      ...(state?.searchError ? { searchError: state.searchError } : {}),
    },
  };
}

/**
 * Approved by the client's model (core/patches/approval.ts). The cloud
 * adds emergency approvals, which the agent does not know; its own
 * compliance counts come from the `updates` list in the report.
 */
function approved(update: PendingUpdate, policy: PatchPolicy, now: Date) {
  const settings = patchSettings({ patches: policy });
  return approveUpdate(update, settings, { now }).approved;
}

function missingFindings(
  updates: PendingUpdate[],
  policy: PatchPolicy,
  now: Date,
): Finding[] {
  const due = updates.filter((u) => approved(u, policy, now));
  const others = updates.length - due.length;
  const findings: Finding[] = [];

  if (due.length > 0) {
    const why = criticalReason(due, policy, now);
    findings.push({
      code: 'patch.security-missing',
      severity: why ? 'critical' : 'warning',
      subject: due.length === 1 ? (due[0]?.id ?? 'updates') : 'updates',
      title: `${due.length} approved security update(s) missing`,
      detail: { count: due.length, ...(why ? { critical: why } : {}) },
    });
  }
  if (others > 0) {
    findings.push({
      code: 'patch.updates-missing',
      severity: 'info',
      subject: 'updates',
      title: `${others} other update(s) pending`,
      detail: { count: others },
    });
  }
  return findings;
}

/**
 * Critical when many are missing, when one is older than the policy age
 * (Windows dates each update; apt does not), or when Microsoft rates one
 * Critical. Returns the reason, or undefined for a warning.
 */
function criticalReason(
  due: PendingUpdate[],
  policy: PatchPolicy,
  now: Date,
): string | undefined {
  if (due.length >= policy.criticalCount) {
    return `count >= ${policy.criticalCount}`;
  }
  const limit = now.getTime() - policy.criticalAgeDays * DAY_MS;
  const old = due.find((u) => u.releasedAt && Date.parse(u.releasedAt) < limit);
  if (old) return `${old.id} older than ${policy.criticalAgeDays} days`;
  const rated = due.find((u) => u.severity?.toLowerCase() === 'critical');
  if (rated) return `${rated.id} rated Critical`;
  return undefined;
}

function stateFindings(state: PatchState, policy: PatchPolicy): Finding[] {
  const findings: Finding[] = [];
  const age = state.listAgeDays;
  if (age !== undefined && age > policy.maxListAgeDays) {
    findings.push({
      code: 'patch.lists-stale',
      severity: 'warning',
      subject: state.source,
      title: `Package lists are ${age} days old; the count is a floor`,
      detail: { listAgeDays: age, maxListAgeDays: policy.maxListAgeDays },
    });
  }
  if (state.rebootPending) {
    findings.push(catalogued('patch.reboot-pending', state.source));
  }
  const failed = openFailures(state)
    .sort((a, b) => b.date.localeCompare(a.date))
    .slice(0, MAX_FAILED);
  findings.push(...failed.map(failedFinding));
  return findings;
}

/**
 * Failed installs that no later success of the same update (same KB, or
 * the same title) made good: a failure fixed by a retry leaves the
 * history, in the finding's eyes, once the retry succeeded.
 */
function openFailures(state: PatchState): FailedInstall[] {
  const successes = state.succeededInstalls ?? [];
  return (state.failedInstalls ?? []).filter((failure) => {
    const kb = kbOfTitle(failure.title);
    return !successes.some(
      (s) =>
        s.date > failure.date &&
        (s.title === failure.title || (kb && kbOfTitle(s.title) === kb)),
    );
  });
}

/** The KB a Windows Update title names, `(KB5034441)` or `- KB2267602`. */
export function kbOfTitle(title: string): string | undefined {
  const match = /\bKB(\d{6,8})\b/i.exec(title);
  return match ? `KB${match[1]}` : undefined;
}

/** A failed install is judged by its HRESULT, as the WU judge does. */
function failedFinding(entry: FailedInstall): Finding {
  const code = entry.hresult
    ? wuCodeFor(entry.hresult)
    : resultCodeFinding(entry.resultCode);
  const finding = catalogued(code, entry.title.slice(0, 256), entry.hresult);
  const kb = kbOfTitle(entry.title);
  return {
    ...finding,
    detail: {
      date: entry.date,
      resultCode: entry.resultCode,
      ...(kb ? { kb } : {}),
    },
  };
}

function resultCodeFinding(resultCode: number) {
  if (resultCode === 3) return 'wu.update-partial';
  if (resultCode === 5) return 'wu.update-aborted';
  return 'wu.update-failed';
}

/** The Windows Update code for an HRESULT, or the catalogue's catch-all. */
export function wuCodeFor(hresult: string | undefined): string {
  if (!hresult) return 'wu.agent-error';
  for (const entry of CATALOGUE.values()) {
    if (entry.code.startsWith('wu.') && entry.hresult === hresult) {
      return entry.code;
    }
  }
  return 'wu.unknown-error';
}

function catalogued(code: string, subject: string, hresult?: string): Finding {
  const entry = CATALOGUE.get(code);
  return {
    code,
    severity: entry?.severity ?? 'warning',
    subject,
    title: entry?.title ?? code,
    ...(hresult ? { hresult } : {}),
  };
}

function summary(
  state: PatchState,
  updates: PendingUpdate[],
  policy: PatchPolicy,
  now: Date,
) {
  const security = updates.filter((u) => u.security);
  const due = updates.filter((u) => approved(u, policy, now));
  return {
    source: state.source,
    missing: updates.length,
    security: security.length,
    approved: due.length,
    mode: policy.mode,
    // Ids only: titles would push a long list past the 5 KB report.
    approvedIds: due.slice(0, MAX_LISTED).map((u) => u.id.slice(0, 64)),
    // What the cloud approves and counts from: ids, security, rating,
    // release day. Approved first, so a cut list keeps what it installs;
    // `missing` and `approved` count past the list (docs/patch-doctor.md).
    updates: [...due, ...updates.filter((u) => !due.includes(u))]
      .slice(0, MAX_REPORTED_UPDATES)
      .map(toReported),
    downloadBytes: updates.reduce((n, u) => n + (u.sizeBytes ?? 0), 0),
    rebootPending: state.rebootPending ?? null,
    ...(state.listAgeDays === undefined
      ? {}
      : { listAgeDays: state.listAgeDays }),
    failedInstalls: openFailures(state).length,
  };
}
