import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpkeepEvent } from '../../core/events.js';
import { keys } from '../../core/table.js';
import { Closers } from '../../local/closers.js';
import { startJobsStandIn } from '../../local/iot/test-helpers.js';
import { buildContext, buildSqsEvent } from '../../local/sqs/sqs-event.js';
import { remedyConfigDefaults } from '../lib/remedy-config.js';
import { diskReport, envelope, hello } from '../test-support/messages.js';
import { startEventsKit, TABLE } from '../webhooks/test-kit.js';
import { createIngestHandler } from './create-ingest-handler.js';

let closers = new Closers();
afterEach(async () => {
  await closers.closeAll();
  closers = new Closers();
});

const THING = 'LAPTOP-R4Q8';
const FINDING_SK = 'FINDING#disk.low-percent#C:';
const LOW = 5 * 1024 ** 3;
/**
 * A report that changes one finding: META touch (also the tenant), CHECK,
 * the check's findings, the finding's write, REPORT.
 */
const ONE_FINDING_WRITE = [
  'UpdateItem',
  'PutItem',
  'Query',
  'UpdateItem',
  'PutItem',
];

/**
 * The ingest handler as deployed with remedies and events, on dynalite,
 * the Jobs stand-in and the local bus, invoked one record at a time. Each
 * DynamoDB request it sends is noted by operation, as the wire names it.
 */
async function setUp() {
  const kit = await startEventsKit(closers);
  const { iot } = await startJobsStandIn();
  const seen = kit.capture();
  const requests: string[] = [];
  kit.clients.dynamo.middlewareStack.add(
    (next) => async (args) => {
      const headers = (args.request as { headers: Record<string, string> })
        .headers;
      requests.push(headers['x-amz-target']?.split('.')[1] ?? 'unknown');
      return next(args);
    },
    { step: 'build', name: 'countTableRequests' },
  );
  const handler = createIngestHandler({
    config: {
      tableName: TABLE,
      region: 'us-east-1',
      endpoints: {},
      serviceName: 'upkeep-ingest',
      logLevel: 'SILENT',
      deadLetterQueueUrl: kit.standIn.createQueue('ingest-dlq'),
      autoRegisterClientId: 'acme',
      reportRetentionDays: 90,
      remedies: {
        signingSecret: { kind: 'value', value: 'b'.repeat(64) },
        thingArnPrefix: 'arn:aws:iot:us-east-1:000000000000:thing/',
        ...remedyConfigDefaults,
      },
    },
    clients: { ...kit.clients, iot },
    logger: kit.logger,
    events: kit.findingEvents(Date.now),
  });

  let sequence = 0;
  /** One queue record through the handler; the requests it sent. */
  const deliver = async (body: string) => {
    requests.length = 0;
    sequence++;
    const record = {
      messageId: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
      receiptHandle: 'r',
      body,
      receiveCount: 1,
      sentTimestamp: Date.now(),
      senderId: 'AIDALOCALSTANDIN00000',
      md5OfBody: '',
      messageAttributes: {},
    } as unknown as SQSRecord;
    const event = buildSqsEvent([record] as never, {
      arn: 'arn:aws:sqs:us-east-1:000000000000:ingest',
      region: 'us-east-1',
    });
    const result = await handler(
      event,
      buildContext('upkeep-ingest', 30_000, 'us-east-1'),
    );
    expect(result).toEqual({ batchItemFailures: [] });
    await kit.events.bus.drain();
    return [...requests];
  };
  const report = (finishedAt: string, low: boolean) =>
    deliver(
      envelope(
        THING,
        'reports',
        diskReport(THING, { finishedAt, ...(low ? { cFreeBytes: LOW } : {}) }),
      ),
    );
  const types = () => seen.map((e) => (e.detail as UpkeepEvent).type);
  const finding = async () =>
    (
      await kit.clients.doc.send(
        new GetCommand({
          TableName: TABLE,
          Key: { pk: keys.device(THING), sk: FINDING_SK },
        }),
      )
    ).Item;
  await deliver(envelope(THING, 'hello', hello(THING)));
  return { kit, deliver, report, types, finding };
}

/** C: and D: both low: two findings of one report. */
function twoLowVolumes(finishedAt: string) {
  const report = diskReport(THING, { finishedAt, cFreeBytes: LOW });
  const [c] = report.findings;
  const d = report.check === 'disk-space' ? report.data.volumes[1] : null;
  if (!c || !d) throw new Error('the test report lost C: or D:');
  d.freeBytes = LOW;
  d.availableBytes = LOW;
  report.findings.push({
    ...c,
    subject: 'D:',
    detail: { freeBytes: LOW, totalBytes: d.totalBytes, minFreePercent: 10 },
  });
  return envelope(THING, 'reports', report);
}

const tally = (requests: string[]) =>
  requests.reduce<Record<string, number>>((counts, operation) => {
    counts[operation] = (counts[operation] ?? 0) + 1;
    return counts;
  }, {});

describe('ingest requests per report', () => {
  it('stores a report with no finding in play in four requests', {
    timeout: 20_000,
  }, async () => {
    // Oracle: META touch (also the tenant), CHECK, the check's findings,
    // REPORT; nothing is in play, so neither hook runs.
    const t = await setUp();

    const requests = await t.report('2026-12-04T09:00:00.000Z', false);

    expect(requests).toEqual(['UpdateItem', 'PutItem', 'Query', 'PutItem']);
  });

  it('keeps a finding in remedy with one read of the check', {
    timeout: 20_000,
  }, async () => {
    // Oracle: the second sighting writes the finding, and the remedy loop
    // (job in flight: wait) and the events (ticket unchanged) act on what
    // that write returned: no second query, no GetItem.
    const t = await setUp();
    await t.report('2026-12-04T09:00:00.000Z', true);

    const requests = await t.report('2026-12-04T13:00:00.000Z', true);
    const finding = await t.finding();

    expect(finding).toMatchObject({ status: 'remediating', occurrences: 2 });
    expect(requests).toEqual(ONE_FINDING_WRITE);
    expect(t.types()).toEqual(['finding.opened']);
  });

  it('opens a finding, starts its remedy and sends its event with one query', {
    timeout: 20_000,
  }, async () => {
    // Oracle: the events read the finding once more only because its
    // ticket changes (the outbox goes out before the ticket's write).
    const t = await setUp();

    const requests = await t.report('2026-12-04T09:00:00.000Z', true);
    const finding = await t.finding();

    expect(finding).toMatchObject({ status: 'remediating' });
    expect(tally(requests)).toMatchObject({ Query: 1, GetItem: 5 });
    expect(t.types()).toEqual(['finding.opened']);
  });

  it('reads the policy once for a report that opens two findings', {
    timeout: 20_000,
  }, async () => {
    // Oracle: each decision needs the device's remediation policy (the
    // client item and three policy layers: four GetItems); the second
    // takes the first one's read. Both tickets change, so the events read
    // each finding once.
    const t = await setUp();

    const requests = await t.deliver(twoLowVolumes('2026-12-04T09:00:00.000Z'));

    expect(tally(requests)).toMatchObject({ Query: 1, GetItem: 6 });
    expect(t.types()).toEqual(['finding.opened', 'finding.opened']);
  });

  it('resolves a finding in remedy and sends the resolution', {
    timeout: 20_000,
  }, async () => {
    const t = await setUp();
    await t.report('2026-12-04T09:00:00.000Z', true);

    const requests = await t.report('2026-12-04T13:00:00.000Z', false);

    // The resolve, then the events: the finding again (its ticket
    // changes), the outbox put and its sent mark, the ticket.
    expect(requests).toEqual([
      ...ONE_FINDING_WRITE,
      'GetItem',
      'PutItem',
      'UpdateItem',
      'UpdateItem',
    ]);
    expect(t.types()).toEqual(['finding.opened', 'finding.resolved']);
  });

  it("sends the remedy loop's escalation from the same report", {
    timeout: 20_000,
  }, async () => {
    // Oracle: with the client's remediation in alert mode the loop
    // escalates at once; the events see that write's result without a
    // query and send opened and escalated together.
    const t = await setUp();
    await t.kit.clients.doc.send(
      new PutCommand({
        TableName: TABLE,
        Item: {
          pk: keys.clients(),
          sk: keys.client('acme'),
          clientId: 'acme',
          policy: { remediation: { mode: 'alert' } },
        },
      }),
    );

    const requests = await t.report('2026-12-04T09:00:00.000Z', true);
    const finding = await t.finding();

    expect(finding).toMatchObject({
      status: 'escalated',
      escalation: { reason: 'policy-alert' },
    });
    expect(tally(requests).Query).toBe(1);
    expect(t.types()).toEqual(['finding.opened', 'finding.escalated']);
  });
});
