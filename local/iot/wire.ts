import type { ExecutionRecord, JobRecord } from './model.js';
import { seconds } from './model.js';

/**
 * The shapes both Jobs APIs put on the wire. Times are whole seconds since
 * the epoch on the device API (jobs-mqtt-api.html, "timestamp") and epoch
 * seconds in the restJson1 control plane, which the SDK turns into Dates.
 */

/** The device API's JobExecution (jobs-mqtt-https-api.html). */
export function executionData(
  e: ExecutionRecord,
  job: JobRecord,
  includeDocument = true,
) {
  return {
    jobId: e.jobId,
    thingName: e.thingName,
    ...(includeDocument ? { jobDocument: documentValue(job.document) } : {}),
    status: e.status,
    statusDetails: e.statusDetails,
    queuedAt: seconds(e.queuedAt),
    ...(e.startedAt === undefined ? {} : { startedAt: seconds(e.startedAt) }),
    lastUpdatedAt: seconds(e.lastUpdatedAt),
    versionNumber: e.versionNumber,
    executionNumber: e.executionNumber,
  };
}

/** The device API's JobExecutionState. */
export function executionState(e: ExecutionRecord) {
  return {
    status: e.status,
    statusDetails: e.statusDetails,
    versionNumber: e.versionNumber,
  };
}

/** The device API's JobExecutionSummary. */
export function executionSummary(e: ExecutionRecord) {
  return {
    jobId: e.jobId,
    queuedAt: seconds(e.queuedAt),
    ...(e.startedAt === undefined ? {} : { startedAt: seconds(e.startedAt) }),
    lastUpdatedAt: seconds(e.lastUpdatedAt),
    versionNumber: e.versionNumber,
    executionNumber: e.executionNumber,
  };
}

/**
 * The document as the device receives it: IoT hands a JSON document over
 * as JSON inside the message, anything else as the string it was given.
 */
export function documentValue(document: string): unknown {
  try {
    return JSON.parse(document);
  } catch {
    return document;
  }
}

/** Control plane: DescribeJobExecution's JobExecution. */
export function controlExecution(
  e: ExecutionRecord,
  thingArn: string,
  nowMs: number,
) {
  const left =
    e.status === 'IN_PROGRESS' && e.inProgressDeadline !== undefined
      ? Math.max(0, Math.round((e.inProgressDeadline - nowMs) / 1000))
      : undefined;
  return {
    jobId: e.jobId,
    status: e.status,
    forceCanceled: e.forceCanceled ?? false,
    statusDetails: { detailsMap: e.statusDetails },
    thingArn,
    queuedAt: seconds(e.queuedAt),
    startedAt: seconds(e.startedAt),
    lastUpdatedAt: seconds(e.lastUpdatedAt),
    executionNumber: e.executionNumber,
    versionNumber: e.versionNumber,
    approximateSecondsBeforeTimedOut: left,
  };
}

/** Control plane: DescribeJob's Job. */
export function controlJob(job: JobRecord, executions: ExecutionRecord[]) {
  const count = (status: ExecutionRecord['status']) =>
    executions.filter((e) => e.status === status).length;
  return {
    jobArn: job.jobArn,
    jobId: job.jobId,
    targetSelection: 'SNAPSHOT',
    status: job.status,
    forceCanceled: job.forceCanceled ?? false,
    reasonCode: job.reasonCode,
    comment: job.comment,
    targets: job.targets,
    description: job.description,
    createdAt: seconds(job.createdAt),
    lastUpdatedAt: seconds(job.lastUpdatedAt),
    completedAt: seconds(job.completedAt),
    jobProcessDetails: {
      numberOfCanceledThings: count('CANCELED'),
      numberOfSucceededThings: count('SUCCEEDED'),
      numberOfFailedThings: count('FAILED'),
      numberOfRejectedThings: count('REJECTED'),
      numberOfQueuedThings: count('QUEUED'),
      numberOfInProgressThings: count('IN_PROGRESS'),
      numberOfRemovedThings: count('REMOVED'),
      numberOfTimedOutThings: count('TIMED_OUT'),
    },
    timeoutConfig:
      job.inProgressTimeoutMinutes === undefined
        ? undefined
        : { inProgressTimeoutInMinutes: job.inProgressTimeoutMinutes },
    jobExecutionsRetryConfig:
      job.retryCriteria.length === 0
        ? undefined
        : { criteriaList: job.retryCriteria },
    jobExecutionsRolloutConfig: job.rollout,
    abortConfig: job.abortCriteria
      ? { criteriaList: job.abortCriteria }
      : undefined,
    isConcurrent: false,
  };
}
