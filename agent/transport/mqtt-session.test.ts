import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentConfigError, TransportError } from '../errors.js';
import { createLogger, silentLogger } from '../logger.js';
import {
  type ReceivedMessage,
  startBroker,
  subscribe,
} from '../test-support/broker.js';
import { makeTestPki } from '../test-support/pki.js';
import { createMqttSession } from './mqtt-session.js';

const fast = { baseMs: 50, maxMs: 200 };
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function broker(options: Parameters<typeof startBroker>[0] = {}) {
  const started = await startBroker(options);
  cleanups.push(() => started.close());
  return started;
}

function session(url: string, extra: Record<string, unknown> = {}) {
  const created = createMqttSession({
    brokerUrl: url,
    clientId: 'laptop-0042',
    backoff: fast,
    logger: silentLogger,
    ...extra,
  });
  cleanups.push(() => created.stop());
  return created;
}

const onTopic = (topic: string) => (m: ReceivedMessage) => m.topic === topic;

/** A port nobody listens on: a broker that started and went away. */
async function deadPort() {
  const gone = await startBroker();
  await gone.close();
  return gone.port;
}

describe('createMqttSession', () => {
  it('connects with MQTT 3.1.1, a persistent session and a 60 s keep-alive', async () => {
    const b = await broker();

    await session(b.url).connected();

    expect(b.connects).toHaveLength(1);
    expect(b.connects[0]).toMatchObject({
      protocolId: 'MQTT',
      protocolVersion: 4,
      clean: false,
      clientId: 'laptop-0042',
      keepalive: 60,
    });
  });

  it('resolves a publish once the broker acknowledged it', async () => {
    const b = await broker();
    const observer = await subscribe(b.url, 'upkeep/#');
    cleanups.push(() => observer.close());
    const s = session(b.url);

    await s.publish('upkeep/v1/devices/laptop-0042/reports', '{"n":1}');

    const [received] = await observer.waitFor(
      onTopic('upkeep/v1/devices/laptop-0042/reports'),
    );
    expect(received?.payload).toBe('{"n":1}');
    expect(b.published.map((m) => m.payload)).toEqual(['{"n":1}']);
  });

  it('sends the birth message first on every connection', async () => {
    const b = await broker();
    let births = 0;
    const s = session(b.url, {
      birth: () => ({ topic: 'upkeep/birth', payload: `birth-${++births}` }),
    });
    const queued = s.publish('upkeep/report', 'queued-before-connect');

    await queued;

    expect(b.published.map((m) => m.payload)).toEqual([
      'birth-1',
      'queued-before-connect',
    ]);
  });

  it('keeps messages published before any broker is reachable', async () => {
    const port = await deadPort();
    const s = session(`mqtt://127.0.0.1:${port}`);
    const acked = s.publish('upkeep/report', 'written-offline');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(s.isConnected()).toBe(false);

    const b = await broker({ port });
    await acked;

    expect(b.published.map((m) => m.payload)).toEqual(['written-offline']);
  });

  it('delivers what was published while the broker was down after it restarts', async () => {
    const first = await startBroker();
    const s = session(first.url);
    await s.connected();
    await s.publish('upkeep/report', 'before-outage');

    await first.close();
    const duringOutage = s.publish('upkeep/report', 'during-outage');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(s.isConnected()).toBe(false);
    const second = await broker({ port: first.port });

    await duringOutage;

    const [received] = await second.waitForPublish(
      (m) => m.payload === 'during-outage',
    );
    expect(received?.topic).toBe('upkeep/report');
    expect(second.connects[0]).toMatchObject({
      clientId: 'laptop-0042',
      clean: false,
    });
    expect(first.published.map((m) => m.payload)).toEqual(['before-outage']);
  });

  it('logs the disconnect at info with the retry delay', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({
      write: (line) => lines.push(JSON.parse(line)),
    });
    const b = await startBroker();
    const s = session(b.url, { logger });
    await s.connected();

    await b.close();
    await new Promise((resolve) => setTimeout(resolve, 100));

    const disconnect = lines.find((l) => l.message === 'mqtt disconnected');
    expect(disconnect).toMatchObject({ level: 'INFO', attempt: 1 });
    expect(disconnect?.retryInMs).toBeLessThan(fast.baseMs);
    expect(lines.some((l) => l.level === 'ERROR')).toBe(false);
  });

  it('drops the oldest queued message when the queue is full', async () => {
    const s = session(`mqtt://127.0.0.1:${await deadPort()}`, {
      maxQueuedMessages: 2,
    });
    const oldest = s.publish('upkeep/report', 'one').catch((e: unknown) => e);
    s.publish('upkeep/report', 'two').catch(() => undefined);
    s.publish('upkeep/report', 'three').catch(() => undefined);

    const error = await oldest;

    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'queue-full' });
  });

  it('fails what is still queued with session-stopped when stopped', async () => {
    const s = session(`mqtt://127.0.0.1:${await deadPort()}`);
    const pending = s.publish('upkeep/report', 'never-sent');
    const waiting = s.connected();

    await s.stop();

    await expect(pending).rejects.toMatchObject({ code: 'session-stopped' });
    await expect(waiting).rejects.toMatchObject({ code: 'session-stopped' });
    await expect(s.publish('upkeep/report', 'late')).rejects.toBeInstanceOf(
      TransportError,
    );
  });

  it('resolves drained once every message is acknowledged', async () => {
    const b = await broker();
    const s = session(b.url);
    for (const n of [1, 2, 3]) s.publish('upkeep/report', `m${n}`);

    await s.drained();

    expect(b.published.map((m) => m.payload)).toEqual(['m1', 'm2', 'm3']);
  });

  it('connects over mutual TLS with the given CA and client certificate', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'upkeep-pki-'));
    cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
    const pki = await makeTestPki(dir, 'laptop-0042');
    const b = await broker({
      tls: { key: pki.serverKey, cert: pki.serverCert, ca: pki.ca },
    });
    const s = session(b.url, {
      tls: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey },
    });

    await s.publish('upkeep/report', 'over-tls');

    expect(b.url).toMatch(/^mqtts:/);
    expect(b.published.map((m) => m.payload)).toEqual(['over-tls']);
  });

  it('subscribes on every connection and hands over what arrives', async () => {
    const topic = 'upkeep/v1/groups/client-a/cycles';
    const received: string[] = [];
    const first = await startBroker();
    const s = session(first.url, {
      subscriptions: [topic],
      onMessage: (t: string, payload: string) =>
        received.push(`${t} ${payload}`),
    });
    await s.connected();
    await sendAs(first.url, topic, 'one');
    await until(() => received.length === 1);

    // A new broker has no session state: the subscription must be renewed.
    await first.close();
    const second = await broker({ port: first.port });
    await until(() => second.connects.length === 1 && s.isConnected());
    await until(async () => {
      await sendAs(second.url, topic, 'two');
      return received.length >= 2;
    });

    expect(received.slice(0, 2)).toEqual([`${topic} one`, `${topic} two`]);
  });

  it('rejects options it cannot use before connecting', () => {
    const base = { clientId: 'x', logger: silentLogger };
    const make = (extra: Record<string, unknown>) => () =>
      createMqttSession({ brokerUrl: 'mqtt://127.0.0.1:1', ...base, ...extra });

    expect(make({ brokerUrl: 'not a url' })).toThrow(AgentConfigError);
    expect(make({ brokerUrl: 'http://127.0.0.1:1' })).toThrow(/mqtt:\/\//);
    expect(make({ tls: { ca: 'x' } })).toThrow(/mqtts/);
    expect(make({ backoff: { baseMs: 0 } })).toThrow(/baseMs/);
  });
});

async function sendAs(url: string, topic: string, payload: string) {
  const client = await mqtt.connectAsync(url, {
    protocolVersion: 4,
    clientId: `cloud-${Date.now()}`,
    reconnectPeriod: 0,
  });
  await client.publishAsync(topic, payload, { qos: 1 });
  await client.endAsync();
}

async function until(test: () => boolean | Promise<boolean>) {
  const deadline = Date.now() + 10_000;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error('condition not met in 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
