import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import type { BatchOutcome } from './poller.js';
import { eventually, startSqs } from './test-helpers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(visibilityTimeoutSeconds = 1) {
  const sqs = await startSqs(cleanups);
  const url = sqs.standIn.createQueue('ingest', { visibilityTimeoutSeconds });
  const outcomes: BatchOutcome[] = [];
  sqs.standIn.on('batch', (o: BatchOutcome) => outcomes.push(o));
  const send = (body: string) =>
    sqs.client.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: body }),
    );
  return { ...sqs, outcomes, send };
}

describe('pollQueue', () => {
  it('passes a Lambda-shaped SQS event and context', async () => {
    const { standIn, send, outcomes } = await setUp();
    const seen: { event: SQSEvent; context: Context }[] = [];
    const poller = standIn.pollQueue(
      'ingest',
      async (event, context) => {
        seen.push({ event, context });
      },
      { functionName: 'ingest-fn', timeoutMs: 5000 },
    );
    cleanups.push(() => poller.stop());

    const sent = await send('{"hello":1}');
    await eventually(() => outcomes.length > 0);
    const record = seen[0]?.event.Records[0];

    expect(record?.messageId).toBe(sent.MessageId);
    expect(record?.body).toBe('{"hello":1}');
    expect(record?.eventSource).toBe('aws:sqs');
    expect(record?.eventSourceARN).toBe(
      'arn:aws:sqs:us-east-1:000000000000:ingest',
    );
    expect(record?.attributes.ApproximateReceiveCount).toBe('1');
    expect(record?.md5OfBody).toBe(sent.MD5OfMessageBody);
    expect(seen[0]?.context.functionName).toBe('ingest-fn');
    expect(seen[0]?.context.getRemainingTimeInMillis()).toBeGreaterThan(0);
    expect(standIn.stats('ingest')).toEqual({
      visible: 0,
      inFlight: 0,
      delayed: 0,
    });
  });

  it('keeps only batchItemFailures, redelivered later', async () => {
    const { standIn, send, outcomes } = await setUp(1);
    const receiveCounts: Record<string, string[]> = {};
    const poller = standIn.pollQueue('ingest', async (event) => {
      for (const r of event.Records) {
        receiveCounts[r.body] = [
          ...(receiveCounts[r.body] ?? []),
          r.attributes.ApproximateReceiveCount,
        ];
      }
      const failOnce = event.Records.filter(
        (r) =>
          r.body === 'flaky' && r.attributes.ApproximateReceiveCount === '1',
      );
      return {
        batchItemFailures: failOnce.map((r) => ({
          itemIdentifier: r.messageId,
        })),
      };
    });
    cleanups.push(() => poller.stop());

    await send('ok');
    await send('flaky');
    await eventually(() => receiveCounts.flaky?.length === 2);
    await eventually(() => standIn.stats('ingest').inFlight === 0 || undefined);

    expect(receiveCounts.ok).toEqual(['1']);
    expect(receiveCounts.flaky).toEqual(['1', '2']);
    expect(outcomes.flatMap((o) => o.failedIds)).toHaveLength(1);
  });

  it('fails the batch on a throw or an unknown item', async () => {
    const { standIn, send } = await setUp(1);
    const errors: unknown[] = [];
    standIn.on('invocationError', (e: { error: unknown }) =>
      errors.push(e.error),
    );
    let calls = 0;
    const poller = standIn.pollQueue('ingest', async () => {
      calls++;
      if (calls === 1) throw new Error('boom');
      if (calls === 2)
        return { batchItemFailures: [{ itemIdentifier: 'nope' }] };
      return { batchItemFailures: [] };
    });
    cleanups.push(() => poller.stop());

    await send('a');
    await eventually(() => calls >= 3);
    await eventually(() => standIn.stats('ingest').inFlight === 0 || undefined);

    expect((errors[0] as Error).message).toBe('boom');
    expect(calls).toBe(3);
    expect(standIn.stats('ingest')).toEqual({
      visible: 0,
      inFlight: 0,
      delayed: 0,
    });
  });
});
