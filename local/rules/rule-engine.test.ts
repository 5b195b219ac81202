import { once } from 'node:events';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import mqtt from 'mqtt';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ruleEnvelopeSchema } from '../../core/index.js';
import { createLocalBroker } from '../broker/broker.js';
import { createSqsStandIn } from '../sqs/index.js';
import { type RuleEngineOptions, startRuleEngine } from './rule-engine.js';

async function setUp(queues: { ingest: boolean; errors: boolean }) {
  const broker = await createLocalBroker({ port: 0 });
  onTestFinished(() => broker.close());
  const sqsStandIn = await createSqsStandIn({ port: 0 });
  onTestFinished(() => sqsStandIn.close());
  const sqs = new SQSClient({
    endpoint: sqsStandIn.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  onTestFinished(() => sqs.destroy());

  // A queue that was not created stands for a send that fails.
  if (queues.ingest) sqsStandIn.createQueue('ingest');
  if (queues.errors) sqsStandIn.createQueue('rule-errors');
  const options: RuleEngineOptions = {
    broker,
    sqs,
    queueUrls: { ingest: sqsStandIn.queueUrl('ingest') },
    errorQueueUrl: sqsStandIn.queueUrl('rule-errors'),
  };
  const engine = await startRuleEngine(options);
  onTestFinished(() => engine.close());

  const device = await mqtt.connectAsync(broker.url, {
    clientId: 'dev-a',
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  onTestFinished(() => device.endAsync(true));
  return { sqs, sqsStandIn, engine, device };
}

async function receiveAll(sqs: SQSClient, queueUrl: string) {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
  );
  return Messages.map((m) => JSON.parse(m.Body ?? 'null'));
}

describe('startRuleEngine', () => {
  it('sends the envelope of a device report to the ingest queue', async () => {
    const { sqs, sqsStandIn, engine, device } = await setUp({
      ingest: true,
      errors: true,
    });
    const before = Date.now();

    await device.publishAsync('upkeep/v1/devices/dev-a/reports', 'raw {', {
      qos: 1,
    });
    await once(engine.events, 'routed');

    const [envelope, ...rest] = await receiveAll(
      sqs,
      sqsStandIn.queueUrl('ingest'),
    );
    expect(rest).toEqual([]);
    expect(ruleEnvelopeSchema.parse(envelope)).toEqual({
      topic: 'upkeep/v1/devices/dev-a/reports',
      clientId: 'dev-a',
      receivedAt: expect.any(Number),
      payload: Buffer.from('raw {').toString('base64'),
    });
    expect(envelope.receivedAt).toBeGreaterThanOrEqual(before);
  });

  it('routes hello by its rule and ignores unselected topics', async () => {
    const { sqs, sqsStandIn, engine, device } = await setUp({
      ingest: true,
      errors: true,
    });
    const routed: { rule: string }[] = [];
    engine.events.on('routed', (r) => routed.push(r));

    await device.publishAsync('$aws/things/dev-a/shadow/name/policy/get', '', {
      qos: 1,
    });
    await device.publishAsync('upkeep/v1/devices/dev-a/hello', '{}', {
      qos: 1,
    });
    await expect.poll(() => routed.length).toBe(1);
    await engine.drain();

    expect(routed[0]?.rule).toBe('upkeep_hello');
    const bodies = await receiveAll(sqs, sqsStandIn.queueUrl('ingest'));
    expect(bodies.map((b) => b.topic)).toEqual([
      'upkeep/v1/devices/dev-a/hello',
    ]);
  });

  it('delivers a failed send to the error queue with its cause', async () => {
    const { sqs, sqsStandIn, engine, device } = await setUp({
      ingest: false,
      errors: true,
    });

    await device.publishAsync('upkeep/v1/devices/dev-a/reports', '{}', {
      qos: 1,
    });
    await once(engine.events, 'action-failed');

    const [failure] = await receiveAll(sqs, sqsStandIn.queueUrl('rule-errors'));
    expect(failure).toMatchObject({
      ruleName: 'upkeep_reports',
      topic: 'upkeep/v1/devices/dev-a/reports',
      clientId: 'dev-a',
      base64OriginalPayload: Buffer.from('{}').toString('base64'),
      failures: [
        {
          failedAction: 'SqsAction',
          failedResource: sqsStandIn.queueUrl('ingest'),
          errorMessage: expect.stringMatching(
            /^Failed to send .*QueueDoesNotExist/,
          ),
        },
      ],
    });
  });

  it('reports a message as lost when the error queue fails too', async () => {
    const { engine, device } = await setUp({ ingest: false, errors: false });

    await device.publishAsync('upkeep/v1/devices/dev-a/reports', '{}', {
      qos: 1,
    });
    const [lost] = await once(engine.events, 'lost');

    expect(lost).toMatchObject({
      rule: 'upkeep_reports',
      topic: 'upkeep/v1/devices/dev-a/reports',
      error: { name: 'QueueDoesNotExist' },
    });
  });
});
