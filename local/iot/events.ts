import { randomUUID } from 'node:crypto';
import type { ExecutionRecord, JobRecord } from './model.js';
import { seconds } from './model.js';

/**
 * The job and job execution events IoT Jobs publishes on `$aws/events/...`
 * once events are enabled (https://docs.aws.amazon.com/iot/latest/
 * developerguide/events-jobs.html). `timestamp` is in seconds, the job's
 * own times in ms, as in the documented examples.
 */
export function jobExecutionEvent(
  execution: ExecutionRecord,
  thingArn: string,
  nowMs: number,
) {
  const operation = execution.status.toLowerCase();
  return {
    topic: `$aws/events/jobExecution/${execution.jobId}/${operation}`,
    payload: {
      eventType: 'JOB_EXECUTION',
      eventId: randomUUID(),
      timestamp: seconds(nowMs),
      operation,
      jobId: execution.jobId,
      thingArn,
      status: execution.status,
      statusDetails: execution.statusDetails,
    },
  };
}

export function jobCompletedEvent(
  job: JobRecord,
  executions: ExecutionRecord[],
  nowMs: number,
) {
  const count = (status: ExecutionRecord['status']) =>
    executions.filter((e) => e.status === status).length;
  return {
    topic: `$aws/events/job/${job.jobId}/completed`,
    payload: {
      eventType: 'JOB',
      eventId: randomUUID(),
      timestamp: seconds(nowMs),
      operation: 'completed',
      jobId: job.jobId,
      status: 'COMPLETED',
      targetSelection: 'SNAPSHOT',
      targets: job.targets,
      description: job.description,
      completedAt: job.completedAt,
      createdAt: job.createdAt,
      lastUpdatedAt: job.lastUpdatedAt,
      jobProcessDetails: {
        numberOfCanceledThings: count('CANCELED'),
        numberOfRejectedThings: count('REJECTED'),
        numberOfFailedThings: count('FAILED'),
        numberOfRemovedThings: count('REMOVED'),
        numberOfSucceededThings: count('SUCCEEDED'),
      },
    },
  };
}
