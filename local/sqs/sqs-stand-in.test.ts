import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  QueueDoesNotExist,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
  TooManyEntriesInBatchRequest,
} from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { startSqs, tempDir } from './test-helpers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function receive(client: SQSClient, QueueUrl: string, extra = {}) {
  const out = await client.send(
    new ReceiveMessageCommand({
      QueueUrl,
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
      ...extra,
    }),
  );
  return out.Messages ?? [];
}

describe('SQS stand-in over the SQS JSON protocol', () => {
  it('sends and receives a message with attributes', async () => {
    const { standIn, client } = await startSqs(cleanups);
    const url = standIn.createQueue('ingest');

    const sent = await client.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: '{"topic":"upkeep/v1/devices/lap-1/reports"}',
        MessageAttributes: {
          reason: { DataType: 'String', StringValue: 'malformed-json' },
        },
      }),
    );
    const [message] = await receive(client, url);

    expect(url).toBe(`${standIn.endpoint}/000000000000/ingest`);
    expect(message?.MessageId).toBe(sent.MessageId);
    expect(message?.Body).toBe('{"topic":"upkeep/v1/devices/lap-1/reports"}');
    expect(message?.MessageAttributes?.reason?.StringValue).toBe(
      'malformed-json',
    );
    expect(message?.Attributes?.ApproximateReceiveCount).toBe('1');
    expect(message?.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
  });

  it('answers QueueDoesNotExist for an unknown queue', async () => {
    const { client, standIn } = await startSqs(cleanups);

    const byName = await client
      .send(new GetQueueUrlCommand({ QueueName: 'nope' }))
      .catch((error: unknown) => error);
    const byUrl = await client
      .send(
        new SendMessageCommand({
          QueueUrl: `${standIn.endpoint}/000000000000/nope`,
          MessageBody: 'x',
        }),
      )
      .catch((error: unknown) => error);

    expect(byName).toBeInstanceOf(QueueDoesNotExist);
    expect(byUrl).toBeInstanceOf(QueueDoesNotExist);
  });

  it('hides a message for the visibility timeout', async () => {
    const { standIn, client } = await startSqs(cleanups);
    const url = standIn.createQueue('work', { visibilityTimeoutSeconds: 1 });
    await client.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'a' }),
    );

    const first = await receive(client, url);
    const whileHidden = await receive(client, url);
    await new Promise((r) => setTimeout(r, 1100));
    const again = await receive(client, url);

    expect(first).toHaveLength(1);
    expect(whileHidden).toHaveLength(0);
    expect(again[0]?.MessageId).toBe(first[0]?.MessageId);
    expect(again[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
  });

  it('redrives to the DLQ past maxReceiveCount', async () => {
    const { standIn, client } = await startSqs(cleanups);
    const dlqUrl = standIn.createQueue('ingest-dlq');
    const url = standIn.createQueue('ingest', {
      deadLetterQueue: { name: 'ingest-dlq', maxReceiveCount: 2 },
    });
    const sent = await client.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }),
    );

    const receives = [];
    for (let i = 0; i < 3; i++) {
      receives.push(await receive(client, url, { VisibilityTimeout: 0 }));
    }
    const [dead] = await receive(client, dlqUrl);

    expect(receives.map((r) => r.length)).toEqual([1, 1, 0]);
    expect(dead?.MessageId).toBe(sent.MessageId);
    expect(dead?.Body).toBe('poison');
    expect(dead?.Attributes?.DeadLetterQueueSourceArn).toBe(
      'arn:aws:sqs:us-east-1:000000000000:ingest',
    );
  });

  it('answers a long poll as soon as a message arrives', async () => {
    const { standIn, client } = await startSqs(cleanups);
    const url = standIn.createQueue('wait');
    const started = Date.now();

    const polling = receive(client, url, { WaitTimeSeconds: 5 });
    setTimeout(() => {
      void client.send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: 'late' }),
      );
    }, 200);
    const messages = await polling;

    expect(messages[0]?.Body).toBe('late');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('sends batches of up to ten and refuses eleven', async () => {
    const { standIn, client } = await startSqs(cleanups);
    const url = standIn.createQueue('batch');
    const entries = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        Id: `m${i}`,
        MessageBody: `${i}`,
      }));

    const ok = await client.send(
      new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(10) }),
    );
    const tooMany = await client
      .send(
        new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(11) }),
      )
      .catch((error: unknown) => error);
    const received = await receive(client, url);

    expect(ok.Successful).toHaveLength(10);
    expect(tooMany).toBeInstanceOf(TooManyEntriesInBatchRequest);
    expect(received.map((m) => m.Body).sort()).toEqual(
      ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'].sort(),
    );
  });

  it('deletes only with the latest receipt handle', async () => {
    const { standIn, client } = await startSqs(cleanups);
    const url = standIn.createQueue('del');
    await client.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }),
    );
    const [first] = await receive(client, url, { VisibilityTimeout: 0 });
    const [second] = await receive(client, url, { VisibilityTimeout: 0 });

    await client.send(
      new DeleteMessageCommand({
        QueueUrl: url,
        ReceiptHandle: first?.ReceiptHandle,
      }),
    );
    const afterStale = standIn.stats('del');
    await client.send(
      new DeleteMessageCommand({
        QueueUrl: url,
        ReceiptHandle: second?.ReceiptHandle,
      }),
    );
    const bogus = await client
      .send(
        new DeleteMessageCommand({
          QueueUrl: url,
          ReceiptHandle: 'not-a-handle',
        }),
      )
      .catch((error: unknown) => error);

    expect(afterStale.visible).toBe(1);
    expect(standIn.stats('del')).toEqual({
      visible: 0,
      inFlight: 0,
      delayed: 0,
    });
    expect(bogus).toBeInstanceOf(ReceiptHandleIsInvalid);
  });

  it('reports attributes, lists, purges, changes visibility', async () => {
    const { standIn, client } = await startSqs(cleanups);
    const dlq = standIn.createQueue('q-dlq');
    const created = await client.send(
      new CreateQueueCommand({
        QueueName: 'q-main',
        Attributes: {
          VisibilityTimeout: '60',
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: standIn.queueArn('q-dlq'),
            maxReceiveCount: 5,
          }),
        },
      }),
    );
    const url = created.QueueUrl as string;
    await client.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: '1' }),
    );
    await client.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: '2' }),
    );
    const [held] = await receive(client, url, { MaxNumberOfMessages: 1 });

    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    const listed = await client.send(
      new ListQueuesCommand({ QueueNamePrefix: 'q-' }),
    );
    await client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: held?.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const visibleAgain = standIn.stats('q-main').visible;
    await client.send(new PurgeQueueCommand({ QueueUrl: url }));

    expect(Attributes?.ApproximateNumberOfMessages).toBe('1');
    expect(Attributes?.ApproximateNumberOfMessagesNotVisible).toBe('1');
    expect(Attributes?.VisibilityTimeout).toBe('60');
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}').maxReceiveCount).toBe(
      5,
    );
    expect(listed.QueueUrls).toEqual([dlq, url]);
    expect(visibleAgain).toBe(2);
    expect(standIn.stats('q-main').visible).toBe(0);
  });

  it('keeps messages across a restart on one stateDir', async () => {
    const stateDir = tempDir(cleanups, 'upkeep-sqs-');
    const first = await startSqs([], { stateDir });
    const url = first.standIn.createQueue('keep-dlq');
    await first.client.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'kept',
        MessageAttributes: {
          reason: { DataType: 'String', StringValue: 'thing-mismatch' },
        },
      }),
    );
    await first.client.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'gone' }),
    );
    const taken = await receive(first.client, url, { VisibilityTimeout: 0 });
    const gone = taken.find((m) => m.Body === 'gone');
    await first.client.send(
      new DeleteMessageCommand({
        QueueUrl: url,
        ReceiptHandle: gone?.ReceiptHandle,
      }),
    );
    first.client.destroy();
    await first.standIn.close();

    const second = await startSqs(cleanups, { stateDir });
    const url2 = second.standIn.createQueue('keep-dlq', {
      visibilityTimeoutSeconds: 0,
    });
    const after = await receive(second.client, url2);

    expect(after.map((m) => m.Body)).toEqual(['kept']);
    expect(after[0]?.MessageAttributes?.reason?.StringValue).toBe(
      'thing-mismatch',
    );
    expect(after[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
  });
});
