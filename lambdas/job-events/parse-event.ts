import { ruleEnvelopeSchema } from '../../core/schemas/envelope.js';
import {
  type JobExecutionEvent,
  jobExecutionEventSchema,
  parseJobExecutionTopic,
} from '../../core/schemas/job-event.js';
import { UpkeepLambdaError } from '../lib/errors.js';

export const JOB_EVENT_REJECTIONS = [
  /** The queue body is not a rule envelope. */
  'envelope-invalid',
  /** Not a `$aws/events/jobExecution/<jobId>/<operation>` topic. */
  'unknown-topic',
  /** The payload is not a job execution event of the documented shape. */
  'event-invalid',
  /** The payload's jobId or operation differs from its topic's. */
  'topic-mismatch',
] as const;

export type JobEventRejection = (typeof JOB_EVENT_REJECTIONS)[number];

/** A message that can never be handled: dead-letter it, do not retry. */
export class JobEventRejectedError extends UpkeepLambdaError {
  override readonly code: JobEventRejection;

  constructor(code: JobEventRejection, message: string) {
    super(code, message);
    this.name = 'JobEventRejectedError';
    this.code = code;
  }
}

/**
 * Queue body (the rule envelope of core/rules.ts) to a job execution event:
 * envelope, topic, base64 JSON payload, schema, and the topic's job id and
 * operation must be the payload's.
 */
export function parseJobEvent(body: string): JobExecutionEvent {
  const envelope = ruleEnvelopeSchema.safeParse(jsonOrUndefined(body));
  if (!envelope.success) {
    throw new JobEventRejectedError('envelope-invalid', 'not a rule envelope');
  }
  const topic = parseJobExecutionTopic(envelope.data.topic);
  if (!topic) {
    throw new JobEventRejectedError(
      'unknown-topic',
      `topic "${envelope.data.topic}" is not a job execution event topic`,
    );
  }

  const payload = jsonOrUndefined(
    Buffer.from(envelope.data.payload, 'base64').toString('utf8'),
  );
  const event = jobExecutionEventSchema.safeParse(payload);
  if (!event.success) {
    throw new JobEventRejectedError(
      'event-invalid',
      event.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; '),
    );
  }
  if (
    event.data.jobId !== topic.jobId ||
    event.data.operation !== topic.operation
  ) {
    throw new JobEventRejectedError(
      'topic-mismatch',
      `payload ${event.data.jobId}/${event.data.operation} differs from ` +
        `topic ${topic.jobId}/${topic.operation}`,
    );
  }
  return event.data;
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
