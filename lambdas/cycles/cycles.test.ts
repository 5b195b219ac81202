import { Logger } from '@aws-lambda-powertools/logger';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { startDataPlane } from '../../local/iot-data/data-plane-server.js';
import { createLambdaContext } from '../../local/lambda-context.js';
import { startShadows } from '../../local/shadow/test-support.js';
import { clientItem } from '../lib/items.js';
import { PolicyLayerStore } from '../lib/policy-layers.js';
import { startStack, TABLE_NAME } from '../test-support/stack.js';
import {
  CycleEventError,
  type CyclesResult,
  createCyclesHandler,
} from './create-cycles-handler.js';
import { iotPublisher } from './publisher.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const NOW = Date.parse('2026-03-04T12:10:00.000Z'); // a Wednesday

async function setUp() {
  const stack = await startStack(cleanups);
  const { broker, shadows } = await startShadows();
  const plane = await startDataPlane({ broker, shadows, port: 0 });
  onTestFinished(() => plane.close());
  const iot = new IoTDataPlaneClient({
    endpoint: plane.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  onTestFinished(() => iot.destroy());
  const handler = createCyclesHandler({
    config: { ...stack.config, iotDataEndpoint: plane.endpoint },
    clients: stack.clients,
    publish: iotPublisher(async () => iot),
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    now: () => NOW,
  });
  const layers = new PolicyLayerStore(stack.clients.doc, TABLE_NAME);
  const addClient = (clientId: string) =>
    stack.clients.doc.send(
      new PutCommand({
        TableName: TABLE_NAME,
        Item: clientItem(clientId, '2026-01-01T00:00:00.000Z'),
      }),
    );
  const invoke = (event: unknown) =>
    handler(
      event,
      createLambdaContext({ functionName: 'upkeep-cycles' }),
    ) as Promise<CyclesResult>;
  return { broker, plane, layers, addClient, invoke };
}

async function subscriber(url: string, group: string) {
  const device = await mqtt.connectAsync(url, {
    clientId: `dev-${group}`,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  onTestFinished(() => device.endAsync(true));
  const received: Record<string, unknown>[] = [];
  device.on('message', (_t, payload) =>
    received.push(JSON.parse(String(payload))),
  );
  await device.subscribeAsync(`upkeep/v1/groups/${group}/cycles`, { qos: 1 });
  return received;
}

describe('cycles handler', () => {
  it('publishes a rate cycle to every client and site group', async () => {
    const t = await setUp();
    await t.addClient('acme');
    await t.layers.put(
      { kind: 'site', clientId: 'acme', siteId: 'hq' },
      {},
      NOW,
    );
    const acme = await subscriber(t.broker.url, 'client-acme');
    const hq = await subscriber(t.broker.url, 'client-acme_hq');

    const result = await t.invoke({
      kind: 'av-definitions',
      scheduledTime: '2026-03-04T12:00:00Z',
    });

    expect(result).toEqual({
      kind: 'av-definitions',
      published: 2,
      groups: ['client-acme', 'client-acme_hq'],
    });
    const expected = {
      v: 1,
      cycleId: 'av-definitions@2026-03-04T12:00:00.000Z',
      kind: 'av-definitions',
      dueAt: '2026-03-04T12:00:00.000Z',
      windowEndsAt: '2026-03-04T16:00:00.000Z',
    };
    await expect.poll(() => [...acme, ...hq]).toEqual([expected, expected]);
  });

  it('sends a cron cycle to the groups of its zone that run the kind', async () => {
    const t = await setUp();
    for (const id of ['paris', 'york', 'off']) await t.addClient(id);
    await t.layers.put(
      { kind: 'client', clientId: 'paris' },
      { timeZone: 'Europe/Paris' },
      NOW,
    );
    await t.layers.put(
      { kind: 'client', clientId: 'york' },
      { timeZone: 'America/New_York' },
      NOW,
    );
    await t.layers.put(
      { kind: 'client', clientId: 'off' },
      { timeZone: 'Europe/Paris', cycles: { maintenance: { enabled: false } } },
      NOW,
    );
    const paris = await subscriber(t.broker.url, 'client-paris');

    const result = await t.invoke({
      kind: 'maintenance',
      timeZone: 'Europe/Paris',
      scheduledTime: '2026-03-04T11:00:00Z',
    });

    expect(result.groups).toEqual(['client-paris']);
    await expect
      .poll(() => paris)
      .toEqual([
        expect.objectContaining({
          cycleId: 'maintenance@2026-03-04T11:00:00.000Z',
          windowEndsAt: '2026-03-05T11:00:00.000Z',
        }),
      ]);
  });

  it('refuses an event without a known kind', async () => {
    const t = await setUp();

    await expect(t.invoke({ kind: 'defrag' })).rejects.toBeInstanceOf(
      CycleEventError,
    );
    await expect(t.invoke({ kind: 'smart', extra: 1 })).rejects.toMatchObject({
      code: 'invalid-event',
    });
  });

  it('tries every group and fails the event when IoT cannot be reached', async () => {
    const t = await setUp();
    await t.addClient('acme');
    await t.addClient('beta');
    await t.plane.close();

    await expect(t.invoke({ kind: 'disk-space' })).rejects.toMatchObject({
      code: 'publish-failed',
      message: 'publishing disk-space failed for client-acme, client-beta',
    });
  });
});
