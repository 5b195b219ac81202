import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Queue, ReceivedMessage } from './queue.js';
import { buildContext, buildSqsEvent } from './sqs-event.js';
import type { SqsStandIn } from './stand-in.js';

export type SqsBatchHandler = (
  event: SQSEvent,
  context: Context,
) => Promise<unknown>;

export interface PollOptions {
  /** Messages per invocation, 1-10. @default 10 */
  batchSize?: number;
  /** Long-poll wait of each receive, seconds (0-20). @default 20 */
  waitTimeSeconds?: number;
  /** Name in the context and in events. @default the queue name */
  functionName?: string;
  /**
   * Invocation time limit, ms: the context counts down from it, and a
   * handler still running after it counts as a failed batch.
   * @default 30_000
   */
  timeoutMs?: number;
}

const defaults = { batchSize: 10, waitTimeSeconds: 20, timeoutMs: 30_000 };
/** Pause after a stand-in fault before the next receive, ms. */
const ERROR_PAUSE_MS = 1000;

export interface BatchOutcome {
  queue: string;
  messageIds: string[];
  /** Ids that stay on the queue (reappear after the visibility timeout). */
  failedIds: string[];
}

export interface QueuePoller {
  stop(): Promise<void>;
}

/**
 * The event source mapping: receives batches, invokes the handler and
 * deletes what it did not report as failed. As in Lambda, a thrown error,
 * a timeout or an unknown `itemIdentifier` fails the whole batch. Emits
 * `batch` (BatchOutcome) and `invocationError` on the stand-in.
 */
export function startPoller(
  standIn: SqsStandIn,
  queueName: string,
  handler: SqsBatchHandler,
  options: PollOptions = {},
): QueuePoller {
  const settings = { ...defaults, ...options };
  if (settings.batchSize < 1 || settings.batchSize > 10) {
    throw new RangeError(`batchSize must be 1-10, got ${settings.batchSize}`);
  }
  const queue = standIn.getQueue(queueName);
  const batch = {
    ...settings,
    functionName: settings.functionName ?? queueName,
  };
  let running = true;

  const loop = (async () => {
    while (running && !standIn.closed) {
      try {
        const messages = await standIn.receive(queueName, {
          max: settings.batchSize,
          waitTimeSeconds: settings.waitTimeSeconds,
          until: () => !running,
        });
        if (messages.length > 0) {
          await runBatch(standIn, queue, handler, messages, batch);
        }
      } catch (error) {
        // A fault of the stand-in itself (a journal write, say): report it
        // and pause rather than spin.
        standIn.emit('error', error);
        await new Promise((r) => setTimeout(r, ERROR_PAUSE_MS));
      }
    }
  })();

  return {
    async stop() {
      running = false;
      queue.notify();
      await loop;
    },
  };
}

/** Invokes the handler on one batch and deletes what succeeded. */
async function runBatch(
  standIn: SqsStandIn,
  queue: Queue,
  handler: SqsBatchHandler,
  messages: ReceivedMessage[],
  settings: { functionName: string; timeoutMs: number },
) {
  const event = buildSqsEvent(messages, {
    arn: queue.arn,
    region: standIn.region,
  });
  const context = buildContext(
    settings.functionName,
    settings.timeoutMs,
    standIn.region,
  );
  const failed = await invoke(handler, event, context, settings.timeoutMs)
    .then((response) => failedIds(event, response))
    .catch((error: unknown) => {
      standIn.emit('invocationError', { queue: queue.name, error });
      return event.Records.map((r) => r.messageId);
    });

  const done = messages.filter((m) => !failed.includes(m.messageId));
  queue.deleteAll(done.map((m) => m.receiptHandle));
  standIn.emit('batch', {
    queue: queue.name,
    messageIds: messages.map((m) => m.messageId),
    failedIds: failed,
  } satisfies BatchOutcome);
}

async function invoke(
  handler: SqsBatchHandler,
  event: SQSEvent,
  context: Context,
  timeoutMs: number,
) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`handler timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([handler(event, context), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The ids to keep. An empty or unknown itemIdentifier makes Lambda treat the
 * whole batch as failed (Lambda developer guide, "Reporting batch item
 * failures").
 */
function failedIds(event: SQSEvent, response: unknown) {
  const all = event.Records.map((r) => r.messageId);
  const reported = isBatchResponse(response) ? response.batchItemFailures : [];
  const ids = reported.map((f) => f.itemIdentifier);
  if (ids.some((id) => !id || !all.includes(id))) return all;
  return ids;
}

function isBatchResponse(value: unknown): value is SQSBatchResponse {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as SQSBatchResponse).batchItemFailures)
  );
}
