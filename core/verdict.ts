/**
 * Severity words shared by findings, reports and `diagnose`. `unknown` means
 * the data cannot support a verdict; it is never folded into `ok`.
 */
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const VERDICTS = ['ok', 'unknown', ...SEVERITIES] as const;
export type Verdict = (typeof VERDICTS)[number];

const RANK: Record<Verdict, number> = {
  ok: 0,
  info: 1,
  unknown: 2,
  warning: 3,
  critical: 4,
};

/** The worse of two verdicts; `unknown` outranks `info` but not a warning. */
export function worseVerdict(a: Verdict, b: Verdict): Verdict {
  return RANK[b] > RANK[a] ? b : a;
}

/** The verdict of a set of findings, or `ok` when there are none. */
export function verdictOf(
  findings: readonly { severity: Severity }[],
  base: Verdict = 'ok',
): Verdict {
  return findings.reduce<Verdict>((v, f) => worseVerdict(v, f.severity), base);
}
