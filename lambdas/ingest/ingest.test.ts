import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Message } from '@aws-sdk/client-sqs';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { keys } from '../../core/table.js';
import type { BatchOutcome } from '../../local/sqs/poller.js';
import { buildContext, buildSqsEvent } from '../../local/sqs/sqs-event.js';
import { eventually } from '../../local/sqs/test-helpers.js';
import type { IngestConfig } from '../lib/config.js';
import { createLazyClients } from '../lib/lazy-clients.js';
import { diskReport, envelope, hello } from '../test-support/messages.js';
import { startStack } from '../test-support/stack.js';
import { createIngestHandler } from './create-ingest-handler.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(
  overrides: Partial<IngestConfig> = {},
  options: { lazySqs?: boolean } = {},
) {
  const stack = await startStack(cleanups);
  const sqs = options.lazySqs ? countedLazySqs(stack.standIn.endpoint) : null;
  const handler = createIngestHandler({
    config: { ...stack.config, ...overrides },
    clients: sqs ? { ...stack.clients, sqs: sqs.load } : stack.clients,
    logger: stack.logger,
  });
  const outcomes: BatchOutcome[] = [];
  stack.standIn.on('batch', (o: BatchOutcome) => outcomes.push(o));
  const poller = stack.standIn.pollQueue('ingest', handler, {
    timeoutMs: 10_000,
  });
  cleanups.unshift(() => poller.stop());
  const drained = () =>
    eventually(() => {
      const s = stack.idle();
      return s.visible + s.inFlight + s.delayed === 0 || undefined;
    });
  return { ...stack, handler, outcomes, drained, sqsLoads: sqs?.loads };
}

/** The SQS client as the ingest Lambda makes it: on first use, counted. */
function countedLazySqs(endpoint: string) {
  const lazy = createLazyClients({
    region: 'us-east-1',
    endpoints: { sqs: endpoint },
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let loads = 0;
  cleanups.push(async () => {
    lazy.dynamo.destroy();
    if (loads > 0) (await lazy.sqs()).destroy();
  });
  return {
    load: () => {
      loads++;
      return lazy.sqs();
    },
    loads: () => loads,
  };
}

/** Fails the first REPORT write as a dropped connection would. */
function failReportWritesOnce(client: DynamoDBClient) {
  let failed = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { Item?: { sk?: { S?: string } } };
      if (failed === 0 && input.Item?.sk?.S?.startsWith('REPORT#')) {
        failed++;
        throw new Error('socket hang up');
      }
      return next(args);
    },
    { step: 'serialize', name: 'failReportWritesOnce' },
  );
  return () => failed;
}

function reasonOf(message: Message | undefined) {
  return message?.MessageAttributes?.reason?.StringValue;
}

describe('ingest handler', () => {
  it('stores META, CHECK, FINDING and REPORT items', async () => {
    const t = await setUp();
    const report = diskReport('lap-1', { cFreeBytes: 9 * 1024 ** 3 });

    await t.publish(envelope('lap-1', 'reports', report));
    await t.drained();
    const meta = await t.getItem('DEVICE#lap-1', 'META');
    const check = await t.getItem('DEVICE#lap-1', 'CHECK#disk-space');
    const finding = await t.getItem(
      'DEVICE#lap-1',
      'FINDING#disk.low-percent#C:',
    );
    const stored = await t.getItem('DEVICE#lap-1', `REPORT#${report.reportId}`);

    expect(meta).toMatchObject({
      clientId: 'local',
      gsi1pk: 'CLIENT#local',
      gsi1sk: 'DEVICE#lap-1',
      lastSeenAt: '2026-12-04T09:00:03.100Z',
    });
    expect(check).toMatchObject({
      reportId: report.reportId,
      verdict: 'warning',
      finishedAtMs: Date.parse('2026-12-04T09:00:02.512Z'),
      findingCount: 1,
    });
    expect(check?.data.volumes).toHaveLength(3);
    expect(finding).toMatchObject({
      status: 'open',
      severity: 'warning',
      check: 'disk-space',
      occurrences: 1,
      firstSeenAt: '2026-12-04T09:00:02.512Z',
      lastReportId: report.reportId,
      gsi1pk: 'CLIENT#local',
      gsi1sk: 'FINDING#lap-1#disk.low-percent#C:',
    });
    expect(stored?.findings).toEqual(report.findings);
    const ninetyDays = 90 * 24 * 3600;
    expect(stored?.expiresAt).toBeGreaterThan(
      Date.now() / 1000 + ninetyDays - 60,
    );
    expect(stored?.expiresAt).toBeLessThan(Date.now() / 1000 + ninetyDays + 60);
    expect(await t.deadLetters()).toEqual([]);
  });

  it('stores the same reportId once when it arrives twice', async () => {
    const t = await setUp();
    const report = diskReport('lap-2', { cFreeBytes: 9 * 1024 ** 3 });
    const body = envelope('lap-2', 'reports', report);

    await t.publish(body);
    await t.drained();
    await t.publish(body);
    await t.drained();
    const items = await t.deviceItems('lap-2');
    const finding = await t.getItem(
      'DEVICE#lap-2',
      'FINDING#disk.low-percent#C:',
    );

    expect(items.filter((i) => i.sk.startsWith('REPORT#'))).toHaveLength(1);
    expect(finding?.occurrences).toBe(1);
    expect(t.outcomes.map((o) => o.failedIds)).toEqual([[], []]);
  });

  it('keeps the first REPORT when the outbox sends a report again', async () => {
    // Oracle: the REPORT item is the idempotency record; a resend of the
    // same reportId, received later, leaves it as first stored, counts no
    // finding twice, and only moves lastSeen on.
    const t = await setUp();
    const report = diskReport('lap-9', { cFreeBytes: 9 * 1024 ** 3 });
    const first = Date.parse('2026-12-04T09:00:03.100Z');
    const again = Date.parse('2026-12-06T08:00:00.000Z');
    await t.publish(
      envelope('lap-9', 'reports', report, { receivedAt: first }),
    );
    await t.drained();
    await t.publish(
      envelope('lap-9', 'reports', report, { receivedAt: again }),
    );
    await t.drained();

    const stored = await t.getItem('DEVICE#lap-9', `REPORT#${report.reportId}`);
    const meta = await t.getItem('DEVICE#lap-9', 'META');
    const finding = await t.getItem(
      'DEVICE#lap-9',
      'FINDING#disk.low-percent#C:',
    );
    const { Items } = await t.clients.doc.send(
      new ScanCommand({
        TableName: t.config.tableName,
        FilterExpression: 'sk = :sk',
        ExpressionAttributeValues: { ':sk': 'IDEMPOTENCY' },
      }),
    );
    expect(stored?.receivedAt).toBe('2026-12-04T09:00:03.100Z');
    expect(meta?.lastSeenAt).toBe('2026-12-06T08:00:00.000Z');
    expect(finding?.occurrences).toBe(1);
    expect(Items).toEqual([]);
  });

  it('finishes a report whose first attempt stopped half-way', async () => {
    // Oracle: the REPORT item is written last, so a delivery that failed
    // before it (here: its REPORT write, once) is completed by the retry,
    // and the finding the first attempt opened is counted once.
    const t = await setUp();
    const report = diskReport('lap-15', { cFreeBytes: 9 * 1024 ** 3 });
    const failures = failReportWritesOnce(t.clients.dynamo);

    await t.publish(envelope('lap-15', 'reports', report));
    await t.drained();

    expect(failures()).toBe(1);
    expect(t.outcomes.map((o) => o.failedIds.length)).toEqual([1, 0]);
    expect(
      await t.getItem('DEVICE#lap-15', `REPORT#${report.reportId}`),
    ).toBeDefined();
    expect(
      await t.getItem('DEVICE#lap-15', 'FINDING#disk.low-percent#C:'),
    ).toMatchObject({ status: 'open', occurrences: 1 });
  });

  it('dead-letters a report for another device', async () => {
    const t = await setUp();
    const body = envelope('lap-3', 'reports', diskReport('lap-4'));

    await t.publish(body);
    await t.drained();
    const [dead] = await t.deadLetters();

    expect(reasonOf(dead)).toBe('thing-mismatch');
    expect(dead?.MessageAttributes?.detail?.StringValue).toContain('lap-4');
    expect(dead?.Body).toBe(body);
    expect(await t.getItem('DEVICE#lap-3', 'CHECK#disk-space')).toBeUndefined();
    expect(await t.getItem('DEVICE#lap-4', 'META')).toBeUndefined();
  });

  it('makes its SQS client on the first rejection, not before', async () => {
    const t = await setUp({}, { lazySqs: true });

    await t.publish(envelope('lap-21', 'hello', hello('lap-21')));
    await t.drained();
    const loadsBeforeReject = t.sqsLoads?.();
    const body = envelope('lap-21', 'reports', null, { raw: '{"v":1,' });
    await t.publish(body);
    await t.drained();
    const dead = await t.deadLetters();

    expect(loadsBeforeReject).toBe(0);
    expect(t.sqsLoads?.()).toBe(1);
    expect(dead.map(reasonOf)).toEqual(['malformed-json']);
    expect(dead[0]?.Body).toBe(body);
  });

  it('dead-letters malformed JSON, stores the next', async () => {
    const t = await setUp();
    const report = diskReport('lap-5');

    await t.publish(
      envelope('lap-5', 'reports', null, { raw: '{"v":1,"reportId":' }),
    );
    await t.publish(envelope('lap-5', 'reports', report));
    await t.drained();
    const dead = await t.deadLetters();

    expect(dead.map(reasonOf)).toEqual(['malformed-json']);
    expect(
      await t.getItem('DEVICE#lap-5', `REPORT#${report.reportId}`),
    ).toBeDefined();
  });

  it('dead-letters each kind of bad message with its reason', async () => {
    const t = await setUp();
    const invalid = { ...diskReport('lap-6'), verdict: 'fine' };

    await t.publish(envelope('lap-6', 'reports', invalid));
    await t.publish(
      envelope('lap-6', 'reports', diskReport('lap-6'), { clientId: 'lap-7' }),
    );
    await t.publish(
      JSON.stringify({
        topic: 'upkeep/v1/devices/lap-6/other',
        clientId: 'lap-6',
        receivedAt: 1,
        payload: '',
      }),
    );
    await t.publish('not json at all');
    await t.drained();
    const dead = await t.deadLetters();
    const byReason = Object.fromEntries(
      dead.map((m) => [reasonOf(m), m.MessageAttributes?.detail?.StringValue]),
    );

    expect(Object.keys(byReason).sort()).toEqual([
      'client-id-mismatch',
      'malformed-envelope',
      'schema-invalid',
      'unknown-topic',
    ]);
    expect(byReason['schema-invalid']).toContain('verdict');
  });

  it('dead-letters an unknown device without auto-register', async () => {
    const t = await setUp({ autoRegisterClientId: undefined });

    await t.publish(envelope('lap-8', 'reports', diskReport('lap-8')));
    await t.drained();
    const [dead] = await t.deadLetters();

    expect(reasonOf(dead)).toBe('unknown-device');
    expect(await t.getItem('DEVICE#lap-8', 'META')).toBeUndefined();
  });

  it('stores a hello on the device registration', async () => {
    const t = await setUp();

    await t.publish(envelope('lap-10', 'hello', hello('lap-10')));
    await t.drained();
    const meta = await t.getItem('DEVICE#lap-10', 'META');

    expect(meta?.hello).toMatchObject({
      agentVersion: '0.1.0',
      os: { platform: 'win32', release: '10.0.22631' },
      capabilities: ['disk-space', 'smart', 'patch-assessment'],
    });
    expect(meta?.hello.deviceId).toBeUndefined();
  });

  it('resolves on a newer report, ignores an older one', async () => {
    const t = await setUp();
    const first = diskReport('lap-11', {
      finishedAt: '2026-12-01T09:00:00.000Z',
      cFreeBytes: 9 * 1024 ** 3,
    });
    const second = diskReport('lap-11', {
      finishedAt: '2026-12-15T09:00:00.000Z',
    });
    const older = diskReport('lap-11', {
      finishedAt: '2026-11-17T09:00:00.000Z',
      cFreeBytes: 5 * 1024 ** 3,
    });

    for (const report of [first, second, older]) {
      await t.publish(envelope('lap-11', 'reports', report));
      await t.drained();
    }
    const finding = await t.getItem(
      'DEVICE#lap-11',
      'FINDING#disk.low-percent#C:',
    );
    const check = await t.getItem('DEVICE#lap-11', 'CHECK#disk-space');

    expect(finding).toMatchObject({
      status: 'resolved',
      resolvedByReportId: second.reportId,
      occurrences: 1,
    });
    expect(finding?.gsi1pk).toBeUndefined();
    expect(check?.reportId).toBe(second.reportId);
  });

  it('reads the stored registration through the document client', async () => {
    // Oracle: the META item written by ingest is the one GetItem returns,
    // so readers and writers agree on the key layout of core/table.ts.
    const t = await setUp();
    await t.publish(envelope('lap-14', 'hello', hello('lap-14')));
    await t.drained();

    const { Item } = await t.clients.doc.send(
      new GetCommand({
        TableName: t.config.tableName,
        Key: { pk: keys.device('lap-14'), sk: keys.meta() },
      }),
    );

    expect(Item?.thingName).toBe('lap-14');
  });
});

describe('ingest handler on DynamoDB failure', () => {
  it('returns the record as a batchItemFailure', async () => {
    const stack = await startStack(cleanups);
    const handler = createIngestHandler({
      config: { ...stack.config, tableName: 'no-such-table' },
      clients: stack.clients,
      logger: stack.logger,
    });
    const record = {
      messageId: '0b6a3d2e-8c1f-4f5e-9a7b-2d4c6e8f0a1b',
      body: envelope('lap-12', 'reports', diskReport('lap-12')),
      receiptHandle: 'r',
      senderId: 'AIDALOCALSTANDIN00000',
      md5OfBody: '',
      receiveCount: 1,
      sentTimestamp: Date.now(),
      messageAttributes: {},
      visibleAt: 0,
    };
    const event = buildSqsEvent([record], {
      arn: stack.standIn.queueArn('ingest'),
      region: 'us-east-1',
    });

    const response = await handler(
      event,
      buildContext('ingest', 10_000, 'us-east-1'),
    );

    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: record.messageId }],
    });
  });

  it('is retried, then redriven after maxReceiveCount', async () => {
    const t = await setUp({ tableName: 'no-such-table' });

    const sent = await t.publish(
      envelope('lap-13', 'reports', diskReport('lap-13')),
    );
    const [dead] = await eventually(async () => {
      const messages = await t.deadLetters();
      return messages.length > 0 ? messages : undefined;
    });

    expect(dead?.MessageId).toBe(sent.MessageId);
    expect(reasonOf(dead)).toBeUndefined();
    expect(dead?.Attributes?.DeadLetterQueueSourceArn).toBe(
      t.standIn.queueArn('ingest'),
    );
    expect(t.outcomes.map((o) => o.failedIds)).toEqual([
      [sent.MessageId],
      [sent.MessageId],
      [sent.MessageId],
    ]);
  });
});
