import type { Report } from '../../core/index.js';
import type { RemedyOutcome } from '../remedies/types.js';
import type { JobRejection } from './errors.js';
import type { FinalStatus } from './execution-store.js';
import { type DetailValue, statusDetails } from './status-details.js';
import type { VerifiedJob } from './verify.js';

/**
 * The terminal status of an execution and what its statusDetails say.
 * The re-check's report is the proof: its `reportId` is in every
 * SUCCEEDED and FAILED that got that far, so the cloud joins the job to
 * the report it already stored.
 *
 * | status    | when                                                |
 * |-----------|-----------------------------------------------------|
 * | SUCCEEDED | the remedy ran and the re-check no longer shows the |
 * |           | job's finding (or the job named none)               |
 * | FAILED    | `remedy-failed`, `recheck-failed`, `finding-persists`, |
 * |           | `interrupted` (a restart cut a remedy that is not   |
 * |           | safe to repeat)                                     |
 * | REJECTED  | the document was refused; nothing ran               |
 */
export const FAILURE_REASONS = [
  'remedy-failed',
  'recheck-failed',
  'finding-persists',
  'interrupted',
] as const;

export type FailureReason = (typeof FAILURE_REASONS)[number];

/** At most this many of a remedy's own details go into statusDetails. */
const MAX_REMEDY_DETAILS = 8;

export function rejectedStatus(rejection: JobRejection): FinalStatus {
  return {
    status: 'REJECTED',
    statusDetails: statusDetails({
      reason: rejection.reason,
      message: rejection.message,
    }),
  };
}

export function interruptedStatus(job: VerifiedJob, step: string) {
  return failed('interrupted', job, {
    message: `the agent restarted during ${step}; ${job.remedy.name} is not safe to repeat`,
  });
}

export interface Proof {
  outcome: RemedyOutcome;
  report?: Report;
  recheckError?: Error;
}

export function finalStatus(job: VerifiedJob, proof: Proof): FinalStatus {
  const { outcome, report } = proof;
  const base = { outcome: outcome.summary, ...remedyDetails(outcome) };
  if (!report) {
    return failed('recheck-failed', job, {
      ...base,
      message: proof.recheckError?.message ?? 'the re-check did not run',
    });
  }

  const proofFields = {
    ...base,
    reportId: report.reportId,
    check: report.check,
    verdict: report.verdict,
    findingPresent: findingPresent(job, report),
  };
  if (!outcome.ok) return failed('remedy-failed', job, proofFields);
  if (proofFields.findingPresent === 'true') {
    return failed('finding-persists', job, proofFields);
  }
  return {
    status: 'SUCCEEDED',
    statusDetails: statusDetails({ ...common(job), ...proofFields }),
  };
}

function failed(
  reason: FailureReason,
  job: VerifiedJob,
  fields: Record<string, DetailValue>,
): FinalStatus {
  return {
    status: 'FAILED',
    statusDetails: statusDetails({ ...common(job), ...fields, reason }),
  };
}

function common(job: VerifiedJob) {
  return { remedy: job.remedy.name, attempt: job.document.attempt };
}

/** 'n/a' when the job named no finding: nothing to look for. */
function findingPresent(job: VerifiedJob, report: Report) {
  const finding = job.document.finding;
  if (!finding) return 'n/a';
  const present = report.findings.some(
    (f) => f.code === finding.code && f.subject === finding.subject,
  );
  return String(present);
}

function remedyDetails(outcome: RemedyOutcome) {
  const entries = Object.entries(outcome.details ?? {}).slice(
    0,
    MAX_REMEDY_DETAILS,
  );
  return Object.fromEntries(entries);
}
