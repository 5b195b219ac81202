import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { onTestFinished } from 'vitest';
import { createLocalBroker, type LocalBroker } from '../broker/broker.js';
import { type ShadowService, startShadowService } from './shadow-service.js';
import { ShadowStore } from './shadow-store.js';

/** A broker and a shadow service on a temp file, closed after the test. */
export async function startShadows(file?: string) {
  const broker = await createLocalBroker({ port: 0, now: () => 1_700_000_000 });
  onTestFinished(() => broker.close());
  const store = ShadowStore.open(file);
  const shadows = await startShadowService({
    broker,
    store,
    now: () => 1_700_000_000_000,
  });
  onTestFinished(() => shadows.close());
  return { broker, shadows };
}

export function tempFile(name: string) {
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-shadow-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, name);
}

/** A device client that collects what arrives on its shadow topics. */
export async function shadowDevice(broker: LocalBroker, thing: string) {
  const client = await mqtt.connectAsync(broker.url, {
    clientId: thing,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  onTestFinished(() => client.endAsync(true));
  const prefix = `$aws/things/${thing}/shadow/name/policy`;
  const received: { suffix: string; body: Record<string, unknown> }[] = [];
  client.on('message', (topic, payload) => {
    received.push({
      suffix: topic.slice(prefix.length + 1),
      body: JSON.parse(String(payload)),
    });
  });
  await client.subscribeAsync(`${prefix}/+/+`, { qos: 1 });
  return { client, prefix, received };
}

export type Device = Awaited<ReturnType<typeof shadowDevice>>;
export type { MqttClient, ShadowService };
