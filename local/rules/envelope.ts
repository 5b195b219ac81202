import {
  type RuleEnvelope,
  ruleEnvelopeSchema,
  type TopicRuleDefinition,
} from '../../core/index.js';
import type { InternalMessage } from '../broker/broker.js';

/**
 * What `SELECT topic() AS topic, clientid() AS clientId, timestamp() AS
 * receivedAt, encode(*, 'base64') AS payload` (core/rules.ts) yields for one
 * message. A message the broker made itself has no client; IoT Core gives an
 * empty client id then, and so does this.
 */
export function buildEnvelope(message: InternalMessage): RuleEnvelope {
  return ruleEnvelopeSchema.parse({
    topic: message.topic,
    clientId: message.clientId ?? '',
    receivedAt: message.receivedAt,
    payload: message.payload.toString('base64'),
  });
}

/**
 * The message an IoT rule's error action delivers when an action fails, in
 * the shape AWS documents for error actions (AWS IoT developer guide,
 * "Error handling (error action)").
 */
export interface RuleErrorMessage {
  ruleName: string;
  topic: string;
  clientId: string;
  /** Stands in for the CloudWatch trace id; unique per failure. */
  cloudwatchTraceId: string;
  base64OriginalPayload: string;
  failures: {
    failedAction: 'SqsAction';
    failedResource: string;
    errorMessage: string;
  }[];
}

export function buildErrorMessage(
  rule: TopicRuleDefinition,
  envelope: RuleEnvelope,
  failure: { queueUrl: string; error: unknown; traceId: string },
): RuleErrorMessage {
  const reason =
    failure.error instanceof Error
      ? `${failure.error.name}: ${failure.error.message}`
      : String(failure.error);

  return {
    ruleName: rule.name,
    topic: envelope.topic,
    clientId: envelope.clientId,
    cloudwatchTraceId: failure.traceId,
    base64OriginalPayload: envelope.payload,
    failures: [
      {
        failedAction: 'SqsAction',
        failedResource: failure.queueUrl,
        errorMessage: `Failed to send message to SQS. ${reason}`,
      },
    ],
  };
}
