import { catalogueEntry } from './catalogue/index.js';
import type { Finding } from './schemas/finding.js';
import { type Severity, type Verdict, verdictOf } from './verdict.js';

/**
 * What a pure judge returns: the verdict and the findings behind it. A judge
 * lists the root cause first; `diagnose` and the scoring engine rely on it.
 */
export interface Judgement {
  verdict: Verdict;
  findings: Finding[];
}

export interface FindingOptions {
  /** Overrides the catalogue's default severity. */
  severity?: Severity;
  /** Overrides the catalogue's title (for example to name the product). */
  title?: string;
  hresult?: string;
  detail?: Record<string, unknown>;
}

const TITLE_MAX = 200;
const SUBJECT_MAX = 256;

/**
 * Builds a finding from its catalogue entry. An unknown code still yields a
 * valid finding (titled by its code, severity warning) so that a judge never
 * throws inside a running agent; a catalogue test catches the gap instead.
 */
export function findingFor(
  code: string,
  subject: string,
  options: FindingOptions = {},
): Finding {
  const entry = catalogueEntry(code);
  const hresult = options.hresult ?? entry?.hresult;

  return {
    code,
    severity: options.severity ?? entry?.severity ?? 'warning',
    subject: clip(subject || 'unknown', SUBJECT_MAX),
    title: clip(options.title ?? entry?.title ?? code, TITLE_MAX),
    ...(hresult ? { hresult } : {}),
    ...(options.detail ? { detail: options.detail } : {}),
  };
}

const SEVERITY_RANK: Record<Severity, number> = {
  info: 0,
  warning: 1,
  critical: 2,
};

/** Worst first; findings of equal severity keep the order they were made. */
export function bySeverity(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity],
  );
}

/**
 * The judgement of a set of findings. `base` is `unknown` when the data could
 * not support a verdict; findings that only describe such a gap are emitted
 * at `info`, which `unknown` outranks, so the gap is never reported as ok.
 */
export function judgementOf(
  findings: readonly Finding[],
  base: Verdict = 'ok',
): Judgement {
  return { verdict: verdictOf(findings, base), findings: [...findings] };
}

function clip(text: string, max: number) {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
