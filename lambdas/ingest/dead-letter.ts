import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { type ClientSource, clientOf } from '../lib/lazy-client.js';
import type { MessageRejectedError } from './rejection.js';

/** SQS attribute values are capped by the message size; keep detail short. */
const MAX_DETAIL_CHARS = 1000;

/**
 * Sends a rejected message to the dead-letter queue unchanged, with why:
 * `reason` (a stable code), `detail` (text for a human) and the id of the
 * source message. A failure here is transient: the caller lets SQS retry.
 * The SQS package loads on the first rejection, not at cold start.
 */
export async function deadLetter(
  sqs: ClientSource<SQSClient>,
  queueUrl: string,
  record: SQSRecord,
  rejection: MessageRejectedError,
) {
  const detail = rejection.message.slice(0, MAX_DETAIL_CHARS) || rejection.code;
  const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
  const client = await clientOf(sqs);
  await client.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: record.body,
      MessageAttributes: {
        reason: { DataType: 'String', StringValue: rejection.code },
        detail: { DataType: 'String', StringValue: detail },
        sourceMessageId: { DataType: 'String', StringValue: record.messageId },
      },
    }),
  );
}
