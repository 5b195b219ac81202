import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it } from 'vitest';
import { startJobsStandIn } from '../../local/iot/test-helpers.js';
import { buildContext, buildSqsEvent } from '../../local/sqs/sqs-event.js';
import { startStack } from '../test-support/stack.js';
import { createJobEventsHandler } from './create-job-events-handler.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp() {
  const stack = await startStack(cleanups);
  const { iot } = await startJobsStandIn();
  const handler = createJobEventsHandler({
    config: {
      ...stack.config,
      serviceName: 'upkeep-job-events',
      remedies: {
        signingSecret: { kind: 'value', value: 'a'.repeat(64) },
        thingArnPrefix: 'arn:aws:iot:us-east-1:000000000000:thing/',
        jobIdPrefix: 'upkeep',
        documentTtlHours: 168,
      },
    },
    clients: { ...stack.clients, iot },
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
  });
  const invoke = (body: string) =>
    handler(
      buildSqsEvent(
        [
          {
            messageId: `m-${body.length}`,
            receiptHandle: 'r',
            body,
            receiveCount: 1,
            sentTimestamp: Date.now(),
            senderId: 'test',
            md5OfBody: '',
            messageAttributes: {},
          } as never,
        ],
        { arn: 'arn:aws:sqs:us-east-1:000000000000:q', region: 'us-east-1' },
      ),
      buildContext('upkeep-job-events', 30_000, 'us-east-1'),
    );
  return { ...stack, invoke };
}

function envelope(topic: string, payload: unknown) {
  return JSON.stringify({
    topic,
    clientId: '',
    receivedAt: Date.now(),
    payload: Buffer.from(JSON.stringify(payload)).toString('base64'),
  });
}

describe('job-events handler', () => {
  it('dead-letters a message that is not a job execution event', async () => {
    const t = await setUp();

    const result = await t.invoke(envelope('upkeep/v1/devices/a/reports', {}));
    const [letter] = await t.deadLetters();

    expect(result).toEqual({ batchItemFailures: [] });
    expect(letter?.MessageAttributes?.reason?.StringValue).toBe(
      'unknown-topic',
    );
  });

  it("acknowledges another tool's job without a write or a dead letter", async () => {
    const t = await setUp();
    const jobId = 'ota-firmware-7';

    const result = await t.invoke(
      envelope(`$aws/events/jobExecution/${jobId}/succeeded`, {
        eventType: 'JOB_EXECUTION',
        eventId: 'e-1',
        timestamp: 1796400000,
        operation: 'succeeded',
        jobId,
        thingArn: 'arn:aws:iot:us-east-1:000000000000:thing/lap-1',
        status: 'SUCCEEDED',
      }),
    );

    expect(result).toEqual({ batchItemFailures: [] });
    expect(await t.deadLetters()).toEqual([]);
    expect(await t.deviceItems('lap-1')).toEqual([]);
  });
});
