import { type Verdict, verdictOf } from '../../core/verdict.js';
import type {
  CheckItem,
  FindingItem,
  MetaItem,
  ReportItem,
} from '../lib/items.js';
import { presenceOf } from '../sweep/presence.js';
import { findingIdOf } from './finding-id.js';

/**
 * The API's response bodies, built from table items. Table keys and
 * bookkeeping attributes (pk, gsi1*, stateAtMs) never leave the API; the
 * shapes are core/schemas/api.ts, documented in docs/api.md.
 */
export function deviceSummary(
  meta: MetaItem & { siteId?: string },
  findings: readonly FindingItem[],
  nowMs: number,
) {
  const { presence, sinceMs } = presenceOf(meta, nowMs);
  return {
    deviceId: meta.thingName,
    clientId: meta.clientId,
    siteId: meta.siteId ?? null,
    registeredAt: meta.registeredAt,
    lastSeenAt: meta.lastSeenAt ?? null,
    agentVersion: meta.hello?.agentVersion ?? null,
    platform: meta.hello?.os.platform ?? null,
    hostname: meta.hello?.os.hostname ?? null,
    volumes: meta.volumes ?? [],
    verdict: deviceVerdict(findings),
    presence,
    presenceSince: sinceMs === undefined ? null : iso(sinceMs),
    away: presence !== 'online',
  };
}

/** The worst severity among a device's unresolved findings. */
export function deviceVerdict(findings: readonly FindingItem[]): Verdict {
  return verdictOf(findings.filter((f) => f.status !== 'resolved'));
}

export function checkView(item: CheckItem) {
  return {
    check: item.check,
    reportId: item.reportId,
    verdict: item.verdict,
    trigger: item.trigger,
    cycleId: item.cycleId ?? null,
    startedAt: item.startedAt,
    finishedAt: item.finishedAt,
    receivedAt: item.receivedAt,
    findingCount: item.findingCount,
    data: item.data,
  };
}

export function historyEntry(item: ReportItem) {
  return {
    reportId: item.reportId,
    check: item.check,
    trigger: item.trigger,
    cycleId: item.cycleId ?? null,
    startedAt: item.startedAt,
    finishedAt: item.finishedAt,
    receivedAt: item.receivedAt,
    verdict: item.verdict,
    findings: item.findings,
    data: item.data,
  };
}

/** A finding item with what the API adds to it. */
export type StoredFinding = FindingItem & {
  acknowledgement?: { by: string; at: string; note?: string };
  suppression?: {
    by: string;
    at: string;
    reason: string;
    expiresAt: string;
  };
};

export function findingView(item: StoredFinding) {
  return {
    findingId: findingIdOf(item.thingName, item.code, item.subject),
    deviceId: item.thingName,
    clientId: item.clientId,
    code: item.code,
    subject: item.subject,
    check: item.check,
    severity: item.severity,
    title: item.title,
    status: item.status,
    hresult: item.hresult ?? null,
    detail: item.detail ?? null,
    firstSeenAt: item.firstSeenAt,
    lastSeenAt: item.lastSeenAt,
    occurrences: item.occurrences,
    lastReportId: item.lastReportId,
    priority: item.priority
      ? {
          score: item.priority.score,
          band: item.priority.band,
          scoredAt: item.priority.scoredAt,
        }
      : null,
    attempts: attemptsOf(item),
    acknowledgement: item.acknowledgement
      ? { ...item.acknowledgement, note: item.acknowledgement.note ?? null }
      : null,
    suppression: item.suppression ?? null,
  };
}

function attemptsOf(item: FindingItem) {
  const ended = (item.attempts ?? []).map((a) => ({
    ...attemptBase(a),
    jobStatus: a.jobStatus ?? null,
    outcome: a.outcome,
    closedAt: a.closedAt,
  }));
  const current = item.remedy
    ? [
        {
          ...attemptBase(item.remedy),
          jobStatus: item.remedy.jobStatus ?? null,
          outcome: null,
          closedAt: null,
        },
      ]
    : [];
  return [...ended, ...current];
}

function attemptBase(a: NonNullable<FindingItem['remedy']>) {
  return {
    jobId: a.jobId,
    occurrence: a.occurrence,
    attempt: a.attempt,
    product: a.product,
    remedy: a.remedy,
    params: a.params,
    issuedAt: a.issuedAt,
  };
}

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

/** Highest priority first, then critical first, then code and subject. */
export function byPriority(
  a: ReturnType<typeof findingView>,
  b: ReturnType<typeof findingView>,
) {
  return (
    (b.priority?.score ?? 0) - (a.priority?.score ?? 0) ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    a.deviceId.localeCompare(b.deviceId) ||
    a.code.localeCompare(b.code) ||
    a.subject.localeCompare(b.subject)
  );
}

/** Critical first, then by code and subject (a device's findings). */
export function bySeverityThenCode(
  a: ReturnType<typeof findingView>,
  b: ReturnType<typeof findingView>,
) {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    a.code.localeCompare(b.code) ||
    a.subject.localeCompare(b.subject)
  );
}

function iso(ms: number) {
  return new Date(ms).toISOString();
}
