import type { Finding } from '../schemas/finding.js';

/** What the chain rules read of a finding. */
export type ChainFinding = Pick<
  Finding,
  'code' | 'subject' | 'severity' | 'detail'
>;

export interface ChainStep {
  remedy: string;
  params: Record<string, unknown>;
}

/** Steps that read the media or wait for a backup that may never finish. */
const MEDIA_STRESS = new Set([
  'run-extended-self-test',
  'verify-backup',
  'backup-now',
]);

/**
 * The SMART chain of one finding, given every finding of the same run.
 * Pure. Two rules the static catalogue chain cannot express:
 *
 * - a drive with a critical verdict (failing, a failed self-test, an
 *   attribute past its threshold, a counter that grew) is dying: every
 *   chain on that drive starts with `backup-now` and offers no surface
 *   scan, which could finish it off before its data is safe;
 * - a counter judged against a stored baseline (`detail.trend`) earns the
 *   replacement ticket only when it grew: a stable or first-seen count is
 *   watched, never replaced because the finding persists.
 *
 * A USB bridge already reached with a `-d` type (`detail.reachedWith`)
 * keeps that type out of its retry list.
 */
export function smartChainFor(
  finding: ChainFinding,
  steps: readonly ChainStep[],
  runFindings: readonly ChainFinding[],
): ChainStep[] {
  if (!finding.code.startsWith('smart.')) return [...steps];

  const dying = runFindings.some(
    (f) =>
      f.subject === finding.subject &&
      f.code.startsWith('smart.') &&
      f.severity === 'critical',
  );
  const trend = finding.detail?.trend;
  const replaceable = dying || trend === undefined || trend === 'grown';
  const chain = withoutTriedTypes(
    steps.filter((s) => replaceable || s.remedy !== 'replace-disk-ticket'),
    finding.detail?.reachedWith,
  );
  if (!dying) return chain;

  return [
    { remedy: 'backup-now', params: {} },
    ...chain.filter((s) => !MEDIA_STRESS.has(s.remedy)),
  ];
}

/** Drops the device type already tried from `retry-smart-device-type`. */
function withoutTriedTypes(steps: ChainStep[], tried: unknown): ChainStep[] {
  if (typeof tried !== 'string') return steps;
  return steps.flatMap((s) => {
    const types = s.params.types;
    if (s.remedy !== 'retry-smart-device-type' || !Array.isArray(types)) {
      return [s];
    }
    const left = types.filter((t) => t !== tried);
    return left.length > 0
      ? [{ ...s, params: { ...s.params, types: left } }]
      : [];
  });
}
