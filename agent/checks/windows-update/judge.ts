import type { Finding } from '../../../core/index.js';
import {
  findingFor,
  type Judgement,
  judgementOf,
} from '../../../core/judgement.js';
import { codeInfo } from './codes.js';
import {
  evidenceExcerpt,
  installerOf,
  operationNear,
  readEvidence,
  serviceOf,
  type WuEvidence,
} from './evidence.js';
import type { HresultHit } from './hresult.js';

/**
 * Judges a Windows Update log, CBS.log, DISM output or tool result. The
 * root cause is the first finding: a corrupt component store explains
 * everything after it; otherwise the first failing cause before the
 * rollback; a wrapper code (0x800F0922, 0x80070643...) only when nothing
 * underneath is visible. Other codes follow as secondary findings.
 */
export function judgeWindowsUpdate(text: string): Judgement {
  const evidence = readEvidence(text);
  const hits = evidence.hits.filter((h) => !h.ignored);
  if (hits.length === 0) return resultCodeJudgement(evidence);

  const root = pickRoot(hits, evidence);
  const rootFinding = describeRoot(root, hits, evidence);
  const secondary = secondaryFindings(hits, root, rootFinding, evidence);

  return judgementOf([rootFinding, ...secondary]);
}

interface Root {
  hit: HresultHit;
  /** A wrapper code reported around the cause. */
  wrapper?: HresultHit;
  /** Hits that are evidence of the root, not findings of their own. */
  chain: Set<HresultHit>;
}

function pickRoot(hits: HresultHit[], ev: WuEvidence): Root {
  const cls = (h: HresultHit) => codeInfo(h.hresult).class;
  const wrapper = hits.find((h) => cls(h) === 'wrapper');

  const winre = ev.winre
    ? hits.find((h) => h.hresult === '0x80070643')
    : undefined;
  if (winre) {
    // DISM's "not enough space" here is the recovery partition's, not C:'s.
    const chain = hits.filter((h) => h.hresult === '0x80070070');
    return { hit: winre, chain: new Set(chain) };
  }

  const corruption = hits.find((h) => cls(h) === 'corruption');
  const rollback = ev.rollbackLine ?? -1;
  const beforeRollback = hits.find(
    (h) => h.line <= rollback && cls(h) === 'cause',
  );
  const hit =
    corruption ??
    beforeRollback ??
    hits.find((h) => cls(h) !== 'wrapper') ??
    (wrapper as HresultHit);

  const chain = new Set(
    hits.filter((h) => h.hresult === hit.hresult || cls(h) === 'wrapper'),
  );
  return { hit, ...(wrapper && wrapper !== hit ? { wrapper } : {}), chain };
}

function describeRoot(root: Root, hits: HresultHit[], ev: WuEvidence): Finding {
  const { hit, wrapper } = root;
  const code = rootCode(root, ev);
  const installer = inInstaller(root, ev)
    ? installerOf(hit.line, ev.lines)
    : undefined;
  const service = /service/.test(code)
    ? serviceOf(hit.line, ev.lines)
    : undefined;

  const detail: Record<string, unknown> = {
    evidence: evidenceExcerpt(hit.text),
    ...(wrapper ? { wrapper: wrapper.hresult } : {}),
    ...(installer ? { installer } : {}),
    ...(installer && ev.task ? { task: ev.task } : {}),
    ...(service ? { service } : {}),
    ...(ev.kbs.length > 0 ? { kbs: ev.kbs } : {}),
    ...(ev.package ? { package: ev.package } : {}),
    ...(ev.retryLoop ? { retryLoop: true } : {}),
    ...(codeInfo(hit.hresult).class === 'corruption'
      ? { corruptionLines: ev.corruptionLines }
      : {}),
    ...(code === 'wu.service-disabled' ? { patchStatus: 'unknown' } : {}),
    ...connectivityHints(code, ev),
    occurrences: hits.filter((h) => h.hresult === hit.hresult).length,
  };

  return findingFor(code, subjectOf(ev, service), {
    hresult: hit.hresult,
    ...(code === 'wu.unknown-error'
      ? { title: `Unclassified Windows Update error ${hit.hresult}` }
      : {}),
    detail,
  });
}

function rootCode(root: Root, ev: WuEvidence): string {
  const { hit } = root;
  if (ev.winre && hit.hresult === '0x80070643')
    return 'wu.winre-partition-too-small';
  if (hit.hresult === '0x80240024') {
    return operationNear(hit.line, ev.lines) === 'install'
      ? 'wu.install-nothing-applicable'
      : 'wu.no-updates';
  }
  if (inInstaller(root, ev)) {
    return installerOf(hit.line, ev.lines) === 'Task Scheduler'
      ? 'wu.task-registration-failed'
      : 'wu.advanced-installer-failed';
  }
  return codeInfo(hit.hresult).code;
}

/**
 * Whether the root code was raised inside an advanced installer: under the
 * 0x800F0922 wrapper with a named installer, or next to CMI plugin lines
 * when the log was cut before the wrapper. Its code (often 0x80070002) is
 * then the installer's, never a reason to reset the update cache.
 */
function inInstaller(root: Root, ev: WuEvidence): boolean {
  const { hit, wrapper } = root;
  if (codeInfo(hit.hresult).class === 'corruption') return false;
  if (wrapper?.hresult === '0x800F0922' && installerOf(hit.line, ev.lines)) {
    return true;
  }
  return ev.advancedInstaller;
}

function subjectOf(ev: WuEvidence, service: string | undefined): string {
  if (service) return service;
  if (ev.kbs.length > 0) return ev.kbs.join(', ');
  return 'Windows Update';
}

/** A doubled slash in the update server URL is a misconfigured policy. */
function connectivityHints(code: string, ev: WuEvidence) {
  if (code !== 'wu.server-timeout' && code !== 'wu.proxy-name-not-resolved') {
    return {};
  }
  const url = ev.lines.join('\n').match(/https?:\/\/[^\s<>"]+/)?.[0];
  if (!url) return {};
  return {
    url,
    ...(/^https?:\/\/[^/]+\/\//.test(url) ? { urlDoubleSlash: true } : {}),
  };
}

function secondaryFindings(
  hits: HresultHit[],
  root: Root,
  rootFinding: Finding,
  ev: WuEvidence,
): Finding[] {
  const seen = new Set([rootFinding.code]);
  return hits.flatMap((hit) => {
    if (root.chain.has(hit) || hit === root.hit) return [];
    const code = codeInfo(hit.hresult).code;
    if (seen.has(code) && code !== 'wu.unknown-error') return [];
    seen.add(code);

    const service = /service/.test(code)
      ? serviceOf(hit.line, ev.lines)
      : undefined;
    return [
      findingFor(code, subjectOf(ev, service), {
        hresult: hit.hresult,
        detail: {
          evidence: evidenceExcerpt(hit.text),
          ...(service ? { service } : {}),
        },
      }),
    ];
  });
}

/**
 * Without any error code, only WUA result codes can speak: all succeeded
 * is ok; a failure without its HRESULT is a warning; nothing at all is
 * unknown, never compliant.
 */
function resultCodeJudgement(ev: WuEvidence): Judgement {
  const codes = ev.resultCodes;
  const subject = ev.kbs.length > 0 ? ev.kbs.join(', ') : 'Windows Update';
  const detail = { resultCodes: codes };

  if (codes.includes(4)) {
    return judgementOf([findingFor('wu.update-failed', subject, { detail })]);
  }
  if (codes.includes(3)) {
    return judgementOf([findingFor('wu.update-partial', subject, { detail })]);
  }
  if (codes.includes(5)) {
    return judgementOf([findingFor('wu.update-aborted', subject, { detail })]);
  }
  if (codes.length > 0 && codes.every((c) => c === 2)) return judgementOf([]);

  return judgementOf([findingFor('wu.no-evidence', subject)], 'unknown');
}
