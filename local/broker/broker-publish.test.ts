import mqtt from 'mqtt';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  createLocalBroker,
  type InternalMessage,
  type PresenceEvent,
} from './broker.js';

async function startBroker() {
  const broker = await createLocalBroker({ port: 0, now: () => 1_700_000 });
  onTestFinished(() => broker.close());
  return broker;
}

function connect(url: string, clientId: string) {
  return mqtt.connectAsync(url, {
    clientId,
    protocolVersion: 4,
    reconnectPeriod: 0,
    clean: false,
  });
}

describe('LocalBroker.publish', () => {
  it('delivers a broker publish to a device subscribed to its topic', async () => {
    const broker = await startBroker();
    const device = await connect(broker.url, 'dev-a');
    onTestFinished(() => device.endAsync(true));
    await device.subscribeAsync('upkeep/v1/groups/client-x/cycles', {
      qos: 1,
    });
    const received = new Promise<string>((resolve) =>
      device.once('message', (_topic, payload) => resolve(String(payload))),
    );

    await broker.publish('upkeep/v1/groups/client-x/cycles', '{"v":1}');

    expect(await received).toBe('{"v":1}');
  });

  it('reaches an internal subscription under $aws with a + level', async () => {
    const broker = await startBroker();
    const seen: InternalMessage[] = [];
    await broker.subscribeInternal(
      '$aws/things/+/shadow/name/policy/get',
      (m) => seen.push(m),
    );
    const device = await connect(broker.url, 'dev-a');
    onTestFinished(() => device.endAsync(true));

    await device.publishAsync('$aws/things/dev-a/shadow/name/policy/get', '', {
      qos: 1,
    });

    await expect.poll(() => seen.map((m) => m.clientId)).toEqual(['dev-a']);
  });
});

describe('presence events', () => {
  it('tells a DISCONNECT from a lost connection', async () => {
    const broker = await startBroker();
    const events: PresenceEvent[] = [];
    broker.events.on('presence', (e: PresenceEvent) => events.push(e));

    const clean = await connect(broker.url, 'dev-clean');
    const lost = await connect(broker.url, 'dev-lost');
    await clean.endAsync();
    lost.stream.destroy();

    await expect.poll(() => events.length).toBe(4);
    const gone = events.filter((e) => e.eventType === 'disconnected');
    expect(gone).toContainEqual({
      eventType: 'disconnected',
      clientId: 'dev-clean',
      timestamp: 1_700_000,
      clientInitiatedDisconnect: true,
      disconnectReason: 'CLIENT_INITIATED_DISCONNECT',
    });
    expect(gone).toContainEqual(
      expect.objectContaining({
        clientId: 'dev-lost',
        clientInitiatedDisconnect: false,
        disconnectReason: 'CONNECTION_LOST',
      }),
    );
  });
});
