import { once } from 'node:events';
import mqtt, { type MqttClient } from 'mqtt';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  createLocalBroker,
  type DeniedEvent,
  type InternalMessage,
  type LocalBroker,
} from './broker.js';

async function startBroker(): Promise<LocalBroker> {
  const broker = await createLocalBroker({ port: 0, now: () => 1_700_000 });
  onTestFinished(() => broker.close());
  return broker;
}

async function connect(broker: LocalBroker, clientId: string) {
  const client = await mqtt.connectAsync(broker.url, {
    clientId,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  onTestFinished(() => client.endAsync(true));
  return client;
}

function nextDenied(broker: LocalBroker): Promise<DeniedEvent> {
  return once(broker.events, 'denied').then(([event]) => event);
}

function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.once('close', () => resolve()));
}

describe('createLocalBroker', () => {
  it('listens on 127.0.0.1 and reports the bound port in its URL', async () => {
    const broker = await startBroker();

    expect(broker.port).toBeGreaterThan(0);
    expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
  });

  it('hands a publish with its client id to an internal path', async () => {
    const broker = await startBroker();
    const received: InternalMessage[] = [];
    await broker.subscribeInternal('upkeep/v1/devices/+/reports', (m) =>
      received.push(m),
    );
    const device = await connect(broker, 'dev-a');

    await device.publishAsync('upkeep/v1/devices/dev-a/reports', '{"a":1}', {
      qos: 1,
    });
    await expect.poll(() => received.length).toBe(1);

    expect(received[0]).toEqual({
      topic: 'upkeep/v1/devices/dev-a/reports',
      payload: Buffer.from('{"a":1}'),
      clientId: 'dev-a',
      receivedAt: 1_700_000,
    });
  });

  it('refuses a publish to another device and drops it', async () => {
    const broker = await startBroker();
    const received: InternalMessage[] = [];
    await broker.subscribeInternal('upkeep/v1/devices/+/reports', (m) =>
      received.push(m),
    );
    const device = await connect(broker, 'dev-a');
    const denied = nextDenied(broker);
    const gone = closed(device);

    device.publish('upkeep/v1/devices/dev-b/reports', '{}', { qos: 1 });

    expect(await denied).toEqual({
      action: 'publish',
      clientId: 'dev-a',
      thingName: 'dev-a',
      topic: 'upkeep/v1/devices/dev-b/reports',
      reason: 'foreign-topic',
    });
    await gone;
    expect(received).toEqual([]);
  });

  it('rejects a client id that is not a thing name', async () => {
    const broker = await startBroker();
    const denied = nextDenied(broker);

    const attempt = mqtt.connectAsync(broker.url, {
      clientId: 'not a thing',
      protocolVersion: 4,
      reconnectPeriod: 0,
    });

    await expect(attempt).rejects.toMatchObject({ code: 2 });
    expect(await denied).toEqual({
      action: 'connect',
      clientId: 'not a thing',
      reason: 'invalid-client-id',
    });
  });

  it('grants a group topic and refuses a foreign one', async () => {
    const broker = await startBroker();
    const device = await connect(broker, 'dev-a');
    const denied = nextDenied(broker);

    const attempt = device.subscribeAsync(
      ['upkeep/v1/groups/all/cycles', 'upkeep/v1/devices/dev-b/reports'],
      { qos: 1 },
    );

    // mqtt.js rejects a SUBACK holding any 0x80 grant and attaches it.
    await expect(attempt).rejects.toMatchObject({
      packet: { granted: [1, 128] },
    });
    expect((await denied).reason).toBe('topic-not-allowed');
    expect(device.connected).toBe(true);
  });

  it('refuses to bind a port that is already taken', async () => {
    const broker = await startBroker();

    const second = createLocalBroker({ port: broker.port });

    await expect(second).rejects.toMatchObject({ code: 'listen-failed' });
  });

  it('refuses a host that is not loopback', async () => {
    await expect(
      createLocalBroker({ host: '0.0.0.0', port: 0 }),
    ).rejects.toMatchObject({ code: 'invalid-config' });
  });
});
