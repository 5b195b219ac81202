import type { ExecutionRecord, JobRecord } from './model.js';

/**
 * The rollout and abort settings of a job, as IoT Jobs applies them
 * (https://docs.aws.amazon.com/iot/latest/developerguide/jobs-configurations-details.html):
 *
 * - `jobExecutionsRolloutConfig.maximumPerMinute`: at most that many
 *   targets are told of the job per minute. Here an execution is visible
 *   to its device (start-next, get, notify-next) from its release time:
 *   the i-th target is released `floor(i / maximumPerMinute)` minutes
 *   after the job was made.
 * - `abortConfig.criteriaList`: once at least `minNumberOfExecutedThings`
 *   executions ended, the job is canceled when the executions that ended
 *   with the criterion's failure type reach `thresholdPercentage` percent
 *   of them; queued executions are canceled, those in progress run on.
 *
 * Known limitation: the exponential rate (`exponentialRate`) and the abort
 * action's other criteria fields are not served; our jobs use neither.
 */
export interface RolloutConfig {
  maximumPerMinute?: number;
}

export interface AbortCriterion {
  failureType: 'FAILED' | 'REJECTED' | 'TIMED_OUT' | 'ALL';
  action: 'CANCEL';
  thresholdPercentage: number;
  minNumberOfExecutedThings: number;
}

/** The reason code a canceled job carries when its abort config fired. */
export const ABORT_REASON = 'ABORT_THRESHOLD_EXCEEDED';

const ENDED = ['SUCCEEDED', 'FAILED', 'REJECTED', 'TIMED_OUT'] as const;

/** Release times of a new job's executions, in target order, ms. */
export function releaseTimes(
  count: number,
  createdAt: number,
  rollout: RolloutConfig | undefined,
  minuteMs: number,
): number[] {
  const perMinute = rollout?.maximumPerMinute;
  return Array.from({ length: count }, (_, i) =>
    perMinute ? createdAt + Math.floor(i / perMinute) * minuteMs : createdAt,
  );
}

export function isReleased(e: ExecutionRecord, now: number) {
  return e.releaseAt === undefined || e.releaseAt <= now;
}

/** The criterion that aborts the job now, if one does. */
export function abortCriterion(
  job: JobRecord,
  executions: readonly ExecutionRecord[],
): AbortCriterion | undefined {
  const ended = executions.filter((e) =>
    (ENDED as readonly string[]).includes(e.status),
  );
  return (job.abortCriteria ?? []).find((c) => {
    if (ended.length < c.minNumberOfExecutedThings) return false;
    const failed = ended.filter((e) =>
      c.failureType === 'ALL'
        ? e.status !== 'SUCCEEDED'
        : e.status === c.failureType,
    ).length;
    return (failed / ended.length) * 100 >= c.thresholdPercentage;
  });
}

export function validateRollout(
  rollout: RolloutConfig | undefined,
  criteria: readonly AbortCriterion[] | undefined,
): string | undefined {
  const perMinute = rollout?.maximumPerMinute;
  if (perMinute !== undefined && !(perMinute >= 1 && perMinute <= 1000)) {
    return `maximumPerMinute must be 1..1000, got ${perMinute}`;
  }
  for (const c of criteria ?? []) {
    if (c.action !== 'CANCEL')
      return `abort action must be CANCEL, got ${c.action}`;
    if (!(c.thresholdPercentage >= 0 && c.thresholdPercentage <= 100)) {
      return `thresholdPercentage must be 0..100, got ${c.thresholdPercentage}`;
    }
    if (!(c.minNumberOfExecutedThings >= 1)) {
      return `minNumberOfExecutedThings must be 1 or more, got ${c.minNumberOfExecutedThings}`;
    }
  }
  return undefined;
}
