import { findHresults, type HresultHit } from './hresult.js';

/**
 * What a Windows Update log, CBS.log, DISM output or tool result says,
 * beyond its codes: where the rollback starts, which installer ran, which
 * KB, package or service is involved.
 */
export interface WuEvidence {
  lines: string[];
  hits: HresultHit[];
  /** First line that mentions a rollback, if any. */
  rollbackLine?: number;
  kbs: string[];
  winre: boolean;
  retryLoop: boolean;
  /** Lines mentioning corruption at any level (CBS logs it as Info too). */
  corruptionLines: number;
  task?: string;
  package?: string;
  /** WUA OperationResultCodes printed by tools (0-5). */
  resultCodes: number[];
  /**
   * CBS lines of an advanced installer (a CMI plugin, the CMI adapter, an
   * installer queue item): its errors are the installer's, whatever code
   * it reports, even when the wrapper and rollback lines were cut off.
   */
  advancedInstaller: boolean;
}

const ADVANCED_INSTALLER =
  /\w+CmiPlugin\b|CMIADAPTER|advanced installer|Installer name:|queue item Installer:/i;

/** Services whose state decides whether updates can run. */
const WU_SERVICES =
  /^(wuauserv|usosvc|waasmedicsvc|bits|cryptsvc|trustedinstaller|msiserver)$/i;

/** KBs that update WinRE on the recovery partition. */
const WINRE =
  /\bwinre\b|recovery environment|safe os|KB50344(39|40|41)|KB5042320|KB5057589/i;

export function readEvidence(text: string): WuEvidence {
  const lines = text.split(/\r?\n/);
  const rollback = lines.findIndex((l) => /roll ?back/i.test(l));

  return {
    lines,
    hits: findHresults(text).map((hit) => checkService(hit, lines)),
    ...(rollback >= 0 ? { rollbackLine: rollback } : {}),
    kbs: [
      ...new Set(text.match(/\bKB\d{6,7}\b/gi)?.map((k) => k.toUpperCase())),
    ],
    winre: WINRE.test(text),
    retryLoop:
      /every retry|on each retry|stays "?pending"?|pending forever/i.test(text),
    corruptionLines: lines.filter((l) => /corrupt/i.test(l)).length,
    ...optional('task', /task "(\\[^"]+)"/i.exec(text)?.[1]),
    ...optional(
      'package',
      /package:\s*(Package_for_[^\s,~]+)/i.exec(text)?.[1],
    ),
    resultCodes: resultCodes(text),
    advancedInstaller: ADVANCED_INSTALLER.test(text),
  };
}

function optional<K extends string>(key: K, value: string | undefined) {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

/** An sc.exe error counts only for a service Windows Update depends on. */
function checkService(hit: HresultHit, lines: string[]): HresultHit {
  if (!/^\[SC\]/.test(hit.text)) return hit;

  const service = serviceOf(hit.line, lines);
  if (!service || WU_SERVICES.test(service)) return hit;
  return {
    ...hit,
    ignored: `service ${service} is not part of Windows Update`,
  };
}

export function serviceOf(line: number, lines: string[]): string | undefined {
  for (let i = line; i >= Math.max(0, line - 3); i--) {
    const m = /\bsc(?:\.exe)?\s+\w+\s+([\w.-]+)/i.exec(lines[i] ?? '');
    if (m?.[1]) return m[1];
    const ps = /\b(wuauserv|UsoSvc|WaaSMedicSvc)\b/i.exec(lines[i] ?? '');
    if (ps?.[1]) return ps[1];
  }
  return undefined;
}

/**
 * The advanced installer a CBS failure happened in: the nearest
 * `Installer name: '...'` before the line, or the queue item that failed.
 */
export function installerOf(line: number, lines: string[]): string | undefined {
  for (let i = line; i >= 0; i--) {
    const m = /Installer name:\s*'([^']+)'/.exec(lines[i] ?? '');
    if (m?.[1]) return m[1];
  }
  for (const l of lines) {
    const m = /queue item Installer:\s*([^(]+?)\s*\(/.exec(l);
    if (m?.[1]) return m[1];
  }
  // Only the plugin's own lines survived: name the plugin.
  for (const l of lines) {
    const m = /\b(\w+CmiPlugin)\b/.exec(l);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

/** Whether a code near this line came from an install or a scan. */
export function operationNear(
  line: number,
  lines: string[],
): 'install' | 'scan' {
  const near = lines.slice(Math.max(0, line - 3), line + 4).join('\n');
  if (/install/i.test(near)) return 'install';
  if (/search|scan|finding updates|detect/i.test(near)) return 'scan';
  return /install/i.test(lines.join('\n')) ? 'install' : 'scan';
}

const RESULT_NAMES: Record<string, number> = {
  notstarted: 0,
  inprogress: 1,
  succeeded: 2,
  succeededwitherrors: 3,
  failed: 4,
  aborted: 5,
};

function resultCodes(text: string): number[] {
  const numeric = [...text.matchAll(/\bResultCode\s*[:=]?\s*([0-5])\b/gi)].map(
    (m) => Number(m[1]),
  );
  const named = [
    ...text.matchAll(
      /\bResult\s*:\s*(NotStarted|InProgress|SucceededWithErrors|Succeeded|Failed|Aborted)\b/gi,
    ),
  ].map((m) => RESULT_NAMES[(m[1] ?? '').toLowerCase()] ?? 0);
  return [...numeric, ...named];
}

/**
 * A log line short enough for a finding: cut at the last whitespace that
 * fits, never inside a token such as an HRESULT or a path, and marked with
 * an ellipsis so that nobody reads the cut as the end of the line.
 */
export function evidenceExcerpt(text: string, max = 200): string {
  const line = text.trim();
  if (line.length <= max) return line;

  const room = line.slice(0, max);
  const boundary = room.search(/\s\S*$/);
  const cut = boundary > 0 ? room.slice(0, boundary) : room.slice(0, max - 1);
  return `${cut.trimEnd()}…`;
}
