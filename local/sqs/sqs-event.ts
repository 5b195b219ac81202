import { randomUUID } from 'node:crypto';
import type {
  Context,
  SQSEvent,
  SQSMessageAttributes,
  SQSRecord,
} from 'aws-lambda';
import type { ReceivedMessage } from './queue.js';
import type { MessageAttributes } from './types.js';

/** Builds the event Lambda's SQS event source mapping would deliver. */
export function buildSqsEvent(
  messages: readonly ReceivedMessage[],
  source: { arn: string; region: string },
): SQSEvent {
  return {
    Records: messages.map(
      (m): SQSRecord => ({
        messageId: m.messageId,
        receiptHandle: m.receiptHandle,
        body: m.body,
        attributes: {
          ApproximateReceiveCount: String(m.receiveCount),
          SentTimestamp: String(m.sentTimestamp),
          SenderId: m.senderId,
          ApproximateFirstReceiveTimestamp: String(
            m.firstReceiveTimestamp ?? m.sentTimestamp,
          ),
          ...(m.deadLetterSourceArn
            ? { DeadLetterQueueSourceArn: m.deadLetterSourceArn }
            : {}),
        },
        messageAttributes: lambdaAttributes(m.messageAttributes),
        md5OfBody: m.md5OfBody,
        ...(m.md5OfMessageAttributes
          ? { md5OfMessageAttributes: m.md5OfMessageAttributes }
          : {}),
        eventSource: 'aws:sqs',
        eventSourceARN: source.arn,
        awsRegion: source.region,
      }),
    ),
  };
}

/** Lambda spells attribute fields in camel case, with empty list fields. */
function lambdaAttributes(attributes: MessageAttributes): SQSMessageAttributes {
  const out: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    out[name] = {
      dataType: value.DataType,
      stringListValues: [],
      binaryListValues: [],
      ...(value.StringValue !== undefined
        ? { stringValue: value.StringValue }
        : {}),
      ...(value.BinaryValue !== undefined
        ? { binaryValue: value.BinaryValue }
        : {}),
    };
  }
  return out;
}

/** A Lambda context whose remaining time counts down from `timeoutMs`. */
export function buildContext(
  functionName: string,
  timeoutMs: number,
  region: string,
): Context {
  const deadline = Date.now() + timeoutMs;
  const unsupported = () => {
    throw new Error('callback-style completion is not supported');
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn:
      `arn:aws:lambda:${region}:000000000000:` + `function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
