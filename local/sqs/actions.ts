import { SqsStandInError } from './errors.js';
import type { Queue } from './queue.js';
import type { SqsStandIn } from './stand-in.js';
import type { MessageAttributes, StoredMessage } from './types.js';

type Input = Record<string, unknown>;
type Action = (standIn: SqsStandIn, input: Input) => unknown;

/** The senderId of messages sent over HTTP (no IAM here to name one). */
const SENDER_ID = 'AIDALOCALSTANDIN00000';
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * The SQS operations the stand-in serves, by X-Amz-Target operation name.
 * Shapes follow the SQS API reference (JSON protocol, 2012-11-05).
 */
export const ACTIONS: Record<string, Action> = {
  CreateQueue: (s, input) => {
    const name = requireString(input, 'QueueName');
    const attributes = (input.Attributes ?? {}) as Record<string, string>;
    return { QueueUrl: s.createQueue(name, queueOptions(s, attributes)) };
  },
  GetQueueUrl: (s, input) => {
    const name = requireString(input, 'QueueName');
    s.getQueue(name);
    return { QueueUrl: s.queueUrl(name) };
  },
  ListQueues: (s, input) => {
    const prefix =
      typeof input.QueueNamePrefix === 'string' ? input.QueueNamePrefix : '';
    const names = s.queueNames().filter((n) => n.startsWith(prefix));
    return { QueueUrls: names.map((n) => s.queueUrl(n)) };
  },
  GetQueueAttributes: (s, input) => {
    const queue = s.queueFromUrl(input.QueueUrl);
    const wanted = (input.AttributeNames as string[] | undefined) ?? [];
    const all = queueAttributes(queue);
    const pick = wanted.includes('All')
      ? all
      : Object.fromEntries(
          Object.entries(all).filter(([k]) => wanted.includes(k)),
        );
    return { Attributes: pick };
  },
  PurgeQueue: (s, input) => {
    s.queueFromUrl(input.QueueUrl).purge();
    return {};
  },
  SendMessage: (s, input) => {
    const queue = s.queueFromUrl(input.QueueUrl);
    const sent = send(queue, input);
    return sendResult(sent);
  },
  SendMessageBatch: (s, input) => {
    const queue = s.queueFromUrl(input.QueueUrl);
    const entries = batchEntries(input);
    const successful = entries.map((entry) => ({
      Id: entry.Id,
      ...sendResult(send(queue, entry)),
    }));
    return { Successful: successful, Failed: [] };
  },
  ReceiveMessage: async (s, input) => {
    const queue = s.queueFromUrl(input.QueueUrl);
    const max = numberIn(input, 'MaxNumberOfMessages', 1, 10) ?? 1;
    const messages = await s.receive(queue.name, {
      max,
      visibilityTimeoutSeconds: numberIn(input, 'VisibilityTimeout', 0, 43_200),
      waitTimeSeconds: numberIn(input, 'WaitTimeSeconds', 0, 20),
    });
    return { Messages: messages.map((m) => receivedMessage(m, input)) };
  },
  DeleteMessage: (s, input) => {
    const queue = s.queueFromUrl(input.QueueUrl);
    queue.delete(requireString(input, 'ReceiptHandle'));
    return {};
  },
  DeleteMessageBatch: (s, input) => {
    const queue = s.queueFromUrl(input.QueueUrl);
    const successful: { Id: string }[] = [];
    const failed: unknown[] = [];
    for (const entry of batchEntries(input)) {
      try {
        queue.delete(requireString(entry, 'ReceiptHandle'));
        successful.push({ Id: entry.Id });
      } catch (error) {
        failed.push(batchFailure(entry.Id, error));
      }
    }
    return { Successful: successful, Failed: failed };
  },
  ChangeMessageVisibility: (s, input) => {
    const queue = s.queueFromUrl(input.QueueUrl);
    const seconds = numberIn(input, 'VisibilityTimeout', 0, 43_200) ?? 0;
    queue.changeVisibility(requireString(input, 'ReceiptHandle'), seconds);
    return {};
  },
};

function send(queue: Queue, input: Input) {
  return queue.send({
    body: requireString(input, 'MessageBody'),
    attributes: (input.MessageAttributes ?? {}) as MessageAttributes,
    delaySeconds: numberIn(input, 'DelaySeconds', 0, 900),
    senderId: SENDER_ID,
  });
}

function sendResult(m: StoredMessage) {
  return {
    MessageId: m.messageId,
    MD5OfMessageBody: m.md5OfBody,
    ...(m.md5OfMessageAttributes
      ? { MD5OfMessageAttributes: m.md5OfMessageAttributes }
      : {}),
  };
}

function receivedMessage(
  m: StoredMessage & { receiptHandle: string },
  input: Input,
) {
  const attributes = pickSystemAttributes(m, input);
  const messageAttributes = pickMessageAttributes(m.messageAttributes, input);
  return {
    MessageId: m.messageId,
    ReceiptHandle: m.receiptHandle,
    MD5OfBody: m.md5OfBody,
    Body: m.body,
    ...(attributes ? { Attributes: attributes } : {}),
    ...(messageAttributes
      ? {
          MessageAttributes: messageAttributes,
          MD5OfMessageAttributes: m.md5OfMessageAttributes,
        }
      : {}),
  };
}

function pickSystemAttributes(m: StoredMessage, input: Input) {
  const wanted = [
    ...((input.MessageSystemAttributeNames as string[] | undefined) ?? []),
    ...((input.AttributeNames as string[] | undefined) ?? []),
  ];
  if (wanted.length === 0) return undefined;
  const all: Record<string, string> = {
    SenderId: m.senderId,
    SentTimestamp: String(m.sentTimestamp),
    ApproximateReceiveCount: String(m.receiveCount),
    ApproximateFirstReceiveTimestamp: String(
      m.firstReceiveTimestamp ?? m.sentTimestamp,
    ),
  };
  if (m.deadLetterSourceArn)
    all.DeadLetterQueueSourceArn = m.deadLetterSourceArn;
  if (wanted.includes('All')) return all;
  return Object.fromEntries(
    Object.entries(all).filter(([k]) => wanted.includes(k)),
  );
}

/** 'All', '.*', exact names and 'prefix.*' select, as in SQS. */
function pickMessageAttributes(attributes: MessageAttributes, input: Input) {
  const wanted = (input.MessageAttributeNames as string[] | undefined) ?? [];
  const selected = Object.entries(attributes).filter(([name]) =>
    wanted.some(
      (w) =>
        w === 'All' ||
        w === '.*' ||
        w === name ||
        (w.endsWith('.*') && name.startsWith(w.slice(0, -1))),
    ),
  );
  return selected.length > 0 ? Object.fromEntries(selected) : undefined;
}

function queueAttributes(queue: Queue): Record<string, string> {
  const counts = queue.counts();
  const o = queue.options;
  const redrive = o.deadLetterQueue;
  return {
    QueueArn: queue.arn,
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
    ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    VisibilityTimeout: String(o.visibilityTimeoutSeconds),
    ReceiveMessageWaitTimeSeconds: String(o.receiveWaitTimeSeconds),
    MessageRetentionPeriod: String(o.messageRetentionSeconds),
    DelaySeconds: String(o.delaySeconds),
    CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
    ...(redrive
      ? {
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: queue.arn.replace(/[^:]+$/, redrive.name),
            maxReceiveCount: redrive.maxReceiveCount,
          }),
        }
      : {}),
  };
}

function queueOptions(s: SqsStandIn, attributes: Record<string, string>) {
  const seconds = (key: string) =>
    attributes[key] === undefined ? undefined : Number(attributes[key]);
  const redrive = attributes.RedrivePolicy
    ? (JSON.parse(attributes.RedrivePolicy) as {
        deadLetterTargetArn: string;
        maxReceiveCount: number | string;
      })
    : undefined;
  const dlqName = redrive?.deadLetterTargetArn.split(':').pop();
  if (
    redrive &&
    (!dlqName || s.queueArn(dlqName) !== redrive.deadLetterTargetArn)
  ) {
    throw new SqsStandInError(
      'invalid-attribute-value',
      `Unknown dead-letter target ${redrive.deadLetterTargetArn}`,
    );
  }
  return {
    visibilityTimeoutSeconds: seconds('VisibilityTimeout'),
    receiveWaitTimeSeconds: seconds('ReceiveMessageWaitTimeSeconds'),
    messageRetentionSeconds: seconds('MessageRetentionPeriod'),
    delaySeconds: seconds('DelaySeconds'),
    deadLetterQueue:
      redrive && dlqName
        ? { name: dlqName, maxReceiveCount: Number(redrive.maxReceiveCount) }
        : undefined,
  };
}

function batchEntries(input: Input) {
  const entries = (input.Entries ?? []) as (Input & { Id: string })[];
  if (entries.length === 0) {
    throw new SqsStandInError(
      'empty-batch',
      'There should be at least one entry in the request.',
    );
  }
  if (entries.length > 10) {
    throw new SqsStandInError(
      'too-many-entries',
      `Maximum number of entries per request are 10. ` +
        `You have sent ${entries.length}.`,
    );
  }
  const ids = entries.map((e) => e.Id);
  const bad = ids.find(
    (id) => typeof id !== 'string' || !BATCH_ENTRY_ID.test(id),
  );
  if (bad !== undefined) {
    throw new SqsStandInError(
      'invalid-batch-entry-id',
      'A batch entry id can only contain alphanumeric characters, ' +
        `hyphens and underscores: ${String(bad)}`,
    );
  }
  if (new Set(ids).size !== ids.length) {
    throw new SqsStandInError(
      'batch-ids-not-distinct',
      'Two or more batch entries in the request have the same Id.',
    );
  }
  return entries;
}

function batchFailure(id: string, error: unknown) {
  if (!(error instanceof SqsStandInError)) throw error;
  return {
    Id: id,
    SenderFault: true,
    Code: error.awsType,
    Message: error.message,
  };
}

function requireString(input: Input, key: string) {
  const value = input[key];
  if (typeof value !== 'string' || value === '') {
    throw new SqsStandInError('invalid-parameter', `${key} is required`);
  }
  return value;
}

function numberIn(input: Input, key: string, min: number, max: number) {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < min ||
    value > max
  ) {
    throw new SqsStandInError(
      'invalid-parameter',
      `${key} must be an integer ${min}-${max}, got ${String(value)}`,
    );
  }
  return value;
}
