import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import {
  acceptedOutcome,
  type IngestOutcome,
  rejectedOutcome,
} from './report-lines.js';

export type SqsBatchHandler = (
  event: SQSEvent,
  context: Context,
) => Promise<unknown>;

/**
 * Tells what ingest did with each message without reaching into it: the
 * handler's dead-letter sends are seen on its own SQS client (a `reason`
 * attribute and the source message id ride with each), and every other
 * message it did not report as failed was stored.
 */
export function watchIngest(
  handler: SqsBatchHandler,
  ingestSqs: SQSClient,
  deadLetterQueueUrl: string,
  onOutcome: (outcome: IngestOutcome) => void,
): SqsBatchHandler {
  const rejected = new Map<string, string>();
  watchDeadLetters(ingestSqs, deadLetterQueueUrl, (id, reason) =>
    rejected.set(id, reason),
  );

  return async (event, context) => {
    try {
      const response = await handler(event, context);
      const failed = failedIds(response);
      for (const record of event.Records) {
        if (failed.has(record.messageId)) continue;
        const reason = rejected.get(record.messageId);
        const outcome =
          reason === undefined
            ? acceptedOutcome(record.body)
            : rejectedOutcome(record.body, reason);
        if (outcome) onOutcome(outcome);
      }
      return response;
    } finally {
      for (const record of event.Records) rejected.delete(record.messageId);
    }
  };
}

interface SendInput {
  QueueUrl?: string;
  MessageAttributes?: Record<string, { StringValue?: string }>;
}

function watchDeadLetters(
  sqs: SQSClient,
  queueUrl: string,
  seen: (sourceMessageId: string, reason: string) => void,
) {
  sqs.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const input = args.input as SendInput;
      const attributes = input.MessageAttributes ?? {};
      const source = attributes.sourceMessageId?.StringValue;
      const isDeadLetter =
        context.commandName === 'SendMessageCommand' &&
        input.QueueUrl === queueUrl;
      if (isDeadLetter && source) {
        seen(source, attributes.reason?.StringValue ?? 'unknown');
      }
      return result;
    },
    { step: 'initialize', name: 'upkeepLocalDeadLetterWatch' },
  );
}

function failedIds(response: unknown) {
  const failures =
    (response as { batchItemFailures?: { itemIdentifier?: string }[] })
      ?.batchItemFailures ?? [];
  return new Set(failures.map((f) => f.itemIdentifier ?? ''));
}
