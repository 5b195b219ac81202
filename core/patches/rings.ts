import type { PatchRolloutPolicy } from '../policy.js';

/**
 * Ring promotion (docs/patch-doctor.md). The pilot ring gets a deployment
 * first; the rest get it after `pilotDays` when the pilot's failure rate
 * stayed under `maxFailurePercent`. IoT Jobs' own abortConfig cancels a
 * pilot job that crosses the same threshold while it runs; this decides
 * whether the broad ring ever starts.
 *
 *   pilot jobs ──(pilotDays)──▶ failure% < max ──▶ promote
 *        │                            └──────────▶ halt
 *        └── aborted by IoT, or failure% ≥ max at any time ──▶ halt
 */
export interface RingCounts {
  succeeded: number;
  failed: number;
  timedOut: number;
  rejected: number;
  canceled: number;
  removed: number;
  queued: number;
  inProgress: number;
}

export type RingDecision =
  | { decision: 'wait'; reason: 'pilot-running' | 'no-pilot-results' }
  | { decision: 'promote'; reason: 'no-pilot' | 'pilot-passed' }
  | { decision: 'halt'; reason: 'failure-rate' | 'pilot-aborted' };

export interface PilotState {
  /** No pilot device had anything to install. */
  empty: boolean;
  counts: RingCounts;
  /** IoT canceled a pilot job by its abortConfig. */
  aborted: boolean;
  startedAtMs: number;
}

export const EMPTY_COUNTS: RingCounts = {
  succeeded: 0,
  failed: 0,
  timedOut: 0,
  rejected: 0,
  canceled: 0,
  removed: 0,
  queued: 0,
  inProgress: 0,
};

/** Failed, timed-out and rejected executions among those that ended. */
export function failurePercent(counts: RingCounts): number {
  const bad = counts.failed + counts.timedOut + counts.rejected;
  const ended = bad + counts.succeeded;
  return ended === 0 ? 0 : (bad / ended) * 100;
}

export function ringDecision(
  pilot: PilotState,
  rollout: PatchRolloutPolicy,
  nowMs: number,
): RingDecision & { failurePercent: number } {
  const percent = failurePercent(pilot.counts);
  const result = (d: RingDecision) => ({ ...d, failurePercent: percent });

  if (pilot.empty) return result({ decision: 'promote', reason: 'no-pilot' });
  if (pilot.aborted) {
    return result({ decision: 'halt', reason: 'pilot-aborted' });
  }
  if (percent >= rollout.maxFailurePercent) {
    return result({ decision: 'halt', reason: 'failure-rate' });
  }
  const due = pilot.startedAtMs + rollout.pilotDays * 86_400_000;
  if (nowMs < due) {
    return result({ decision: 'wait', reason: 'pilot-running' });
  }
  const ended = pilot.counts.succeeded + pilot.counts.failed;
  if (ended + pilot.counts.timedOut + pilot.counts.rejected === 0) {
    return result({ decision: 'wait', reason: 'no-pilot-results' });
  }
  return result({ decision: 'promote', reason: 'pilot-passed' });
}

/**
 * The IoT Jobs rollout and abort settings of a ring's job
 * (https://docs.aws.amazon.com/iot/latest/apireference/API_CreateJob.html):
 * at most `maxPerMinute` devices start per minute, and the job is
 * canceled once `maxFailurePercent` of at least `minExecuted` executed
 * devices failed.
 */
export function jobRolloutConfig(rollout: PatchRolloutPolicy, targets: number) {
  const minExecuted = Math.max(1, Math.min(targets, 10));
  return {
    jobExecutionsRolloutConfig: {
      maximumPerMinute: Math.max(1, Math.min(rollout.maxPerMinute, 1000)),
    },
    abortConfig: {
      criteriaList: [
        {
          failureType: 'FAILED' as const,
          action: 'CANCEL' as const,
          thresholdPercentage: rollout.maxFailurePercent,
          minNumberOfExecutedThings: minExecuted,
        },
      ],
    },
  };
}
