/**
 * The life of a finding (docs/remedies.md):
 *
 *   open ──decide──▶ remediating ──job ok, re-check clean──▶ resolved
 *     │                  │  └──job failed / still present──▶ next step
 *     │                  └──chain ends, ticket, rejected──▶ escalated
 *     ├──policy alert, no remedy──▶ escalated
 *     └──code suppressed──▶ suppressed
 *
 * Any state but resolved becomes resolved when a later report of its check
 * no longer has it; a resolved finding that comes back is open again.
 */
export const FINDING_STATUSES = [
  'open',
  'remediating',
  'resolved',
  'escalated',
  'suppressed',
] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** States a later sighting keeps (it does not reopen them). */
export const ACTIVE_STATUSES = [
  'remediating',
  'escalated',
  'suppressed',
] as const satisfies readonly FindingStatus[];

/** Job execution statuses after which the device does nothing more. */
export const FINAL_JOB_STATUSES = [
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'REJECTED',
  'CANCELED',
  'REMOVED',
] as const;
export type FinalJobStatus = (typeof FINAL_JOB_STATUSES)[number];

export function isFinalJobStatus(status: string): status is FinalJobStatus {
  return (FINAL_JOB_STATUSES as readonly string[]).includes(status);
}

/**
 * Why an agent may refuse a step it cannot run (agent/jobs/errors.ts,
 * statusDetails `reason`): the step is skipped and the chain goes on. Any
 * other refusal (a bad signature, the wrong device, an expired document)
 * is escalated, since something is wrong beyond this step.
 */
export const UNRUNNABLE_STEP_REASONS = [
  'unknown-remedy',
  'bad-params',
  'not-implemented',
  'not-allowed',
  'recheck-unavailable',
] as const;

export interface AttemptFacts {
  /** The last final status of the job; undefined while it runs. */
  jobStatus?: FinalJobStatus;
  /** statusDetails `reason` of the final status, when the agent gave one. */
  reason?: string;
  /** IoT Jobs will run the job again (its retry config). */
  retryPending?: boolean;
  /** What the re-check report showed; undefined until it arrives. */
  recheck?: 'present' | 'gone';
}

export type AttemptVerdict =
  /** Not enough is known yet. */
  | 'wait'
  | 'resolved'
  /** The step did not help: the next step of the chain. */
  | 'next-step'
  /** The device refused the job; a human must look at why. */
  | 'escalate-rejected'
  /** Someone canceled or removed the job. */
  | 'escalate-canceled';

/**
 * Success needs both facts: the job SUCCEEDED and the re-check shows the
 * finding gone. Either fact may arrive first (docs/remedies.md, "race").
 */
export function judgeAttempt(facts: AttemptFacts): AttemptVerdict {
  if (facts.recheck === 'gone') return 'resolved';
  if (facts.retryPending || facts.jobStatus === undefined) return 'wait';

  switch (facts.jobStatus) {
    case 'SUCCEEDED':
      return facts.recheck === 'present' ? 'next-step' : 'wait';
    case 'FAILED':
    case 'TIMED_OUT':
      return 'next-step';
    case 'REJECTED':
      return isUnrunnable(facts.reason) ? 'next-step' : 'escalate-rejected';
    default:
      return 'escalate-canceled';
  }
}

function isUnrunnable(reason: string | undefined) {
  return (UNRUNNABLE_STEP_REASONS as readonly (string | undefined)[]).includes(
    reason,
  );
}
