import * as z from 'zod';

/**
 * A job execution event as AWS IoT Jobs publishes it on
 * `$aws/events/jobExecution/<jobId>/<operation>` when an execution reaches a
 * final status (https://docs.aws.amazon.com/iot/latest/developerguide/
 * events-jobs.html). Fields AWS may add later pass through unread.
 */
export const JOB_EXECUTION_OPERATIONS = [
  'succeeded',
  'failed',
  'rejected',
  'canceled',
  'timed_out',
  'removed',
  'deleted',
] as const;
export type JobExecutionOperation = (typeof JOB_EXECUTION_OPERATIONS)[number];

export const jobExecutionEventSchema = z.object({
  eventType: z.literal('JOB_EXECUTION'),
  eventId: z.string().min(1),
  /** Seconds since the epoch. */
  timestamp: z.number(),
  operation: z.enum(JOB_EXECUTION_OPERATIONS),
  jobId: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
  thingArn: z.string().regex(/^arn:[^:]+:iot:[^:]*:[^:]*:thing\/.+$/),
  status: z.enum([
    'SUCCEEDED',
    'FAILED',
    'REJECTED',
    'CANCELED',
    'TIMED_OUT',
    'REMOVED',
    'DELETED',
  ]),
  statusDetails: z.record(z.string(), z.string()).optional(),
});

export type JobExecutionEvent = z.infer<typeof jobExecutionEventSchema>;

/** The thing name of a thing ARN (`arn:aws:iot:<region>:<acct>:thing/<name>`). */
export function thingNameOfArn(arn: string): string | undefined {
  const match = /:thing\/([a-zA-Z0-9:_-]{1,128})$/.exec(arn);
  return match?.[1];
}

/** `$aws/events/jobExecution/<jobId>/<operation>`, parsed. */
export function parseJobExecutionTopic(topic: string) {
  const match =
    /^\$aws\/events\/jobExecution\/([a-zA-Z0-9_-]{1,64})\/([a-z_]+)$/.exec(
      topic,
    );
  if (!match) return undefined;
  return { jobId: match[1] as string, operation: match[2] as string };
}
