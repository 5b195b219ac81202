import type { EscalationReason } from '../../core/scoring/decide.js';
import type { FinalJobStatus } from '../../core/scoring/lifecycle.js';
import type { Priority } from '../../core/scoring/priority.js';
import { keys } from '../../core/table.js';

/**
 * What the remedy loop keeps on a FINDING item and beside it
 * (docs/remedies.md, docs/data-model.md). Pure shapes and builders.
 */

/** The remedy job in flight for a finding. */
export interface RemedyAttempt {
  jobId: string;
  /** The occurrence of the finding it is for (resolutions + 1). */
  occurrence: number;
  /** 1 for the first job of the occurrence. */
  attempt: number;
  /** Catalogue chain key and step index. */
  product: string;
  step: number;
  remedy: string;
  params: Record<string, unknown>;
  issuedAt: string;
  issuedAtMs: number;
  /** The final status of the job, once IoT reported it. */
  jobStatus?: FinalJobStatus;
  jobStatusAt?: string;
  statusDetails?: Record<string, string>;
  /** What the re-check report showed, once it arrived. */
  recheck?: 'present' | 'gone';
  recheckReportId?: string;
}

export type AttemptOutcome =
  | 'resolved'
  | 'still-present'
  | 'failed'
  | 'timed-out'
  | 'rejected'
  | 'canceled'
  /** A new occurrence began before the job's end was heard. */
  | 'superseded';

export interface ClosedAttempt extends RemedyAttempt {
  outcome: AttemptOutcome;
  closedAt: string;
}

export interface StoredPriority extends Priority {
  scoredAt: string;
}

export interface EscalationSummary {
  reason: EscalationReason | 'rejected' | 'canceled';
  occurrence: number;
  escalatedAt: string;
  humanStep?: { remedy: string; params: Record<string, unknown> };
}

/** DEVICE#<thing> / JOB#<jobId>: which finding a job is for. */
export interface JobItem {
  pk: string;
  sk: string;
  jobId: string;
  thingName: string;
  clientId: string;
  code: string;
  subject: string;
  occurrence: number;
  attempt: number;
  remedy: string;
  issuedAt: string;
}

/**
 * DEVICE#<thing> / ESCALATION#<code>#<subject>#<occurrence>: a finding
 * handed to a human, with everything tried. The API and webhooks read it
 * from the client's index (gsi1, newest last).
 */
export interface EscalationItem {
  pk: string;
  sk: string;
  thingName: string;
  clientId: string;
  code: string;
  subject: string;
  check: string;
  severity: string;
  title: string;
  occurrence: number;
  reason: EscalationSummary['reason'];
  humanStep?: EscalationSummary['humanStep'];
  priority?: StoredPriority;
  attempts: ClosedAttempt[];
  escalatedAt: string;
  gsi1pk: string;
  gsi1sk: string;
}

export function jobItem(fields: Omit<JobItem, 'pk' | 'sk'>): JobItem {
  return {
    pk: keys.device(fields.thingName),
    sk: keys.job(fields.jobId),
    ...fields,
  };
}

export function escalationItem(
  fields: Omit<EscalationItem, 'pk' | 'sk' | 'gsi1pk' | 'gsi1sk'>,
): EscalationItem {
  return {
    pk: keys.device(fields.thingName),
    sk: keys.escalation(fields.code, fields.subject, fields.occurrence),
    ...fields,
    gsi1pk: keys.client(fields.clientId),
    gsi1sk: keys.clientEscalation(
      fields.escalatedAt,
      fields.thingName,
      fields.code,
      fields.subject,
    ),
  };
}

export function occurrenceOf(finding: { resolutions?: number }) {
  return (finding.resolutions ?? 0) + 1;
}

const OUTCOME_OF_STATUS: Record<FinalJobStatus, AttemptOutcome> = {
  SUCCEEDED: 'still-present',
  FAILED: 'failed',
  TIMED_OUT: 'timed-out',
  REJECTED: 'rejected',
  CANCELED: 'canceled',
  REMOVED: 'canceled',
};

/** The attempt as history: resolved wins, else what the job did. */
export function closeAttempt(
  remedy: RemedyAttempt,
  resolved: boolean,
  closedAt: string,
): ClosedAttempt {
  const outcome: AttemptOutcome = resolved
    ? 'resolved'
    : remedy.jobStatus
      ? OUTCOME_OF_STATUS[remedy.jobStatus]
      : 'superseded';
  return { ...remedy, outcome, closedAt };
}
