import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createLocalBroker,
  type LocalBroker,
  type PresenceEvent,
} from '../../local/broker/broker.js';
import { createLogger, silentLogger } from '../logger.js';
import { createMqttSession } from './mqtt-session.js';
import { DurableOutbox, QUARANTINE_FILE } from './outbox-durable.js';

/**
 * The session against the local broker, whose device policy closes the
 * connection on a publish to another thing's topic, as AWS IoT does.
 */
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function policyBroker() {
  const broker = await createLocalBroker({ port: 0 });
  cleanups.push(() => broker.close());
  return broker;
}

function connectsOf(broker: LocalBroker, clientId: string) {
  const connects: number[] = [];
  broker.events.on('presence', (event: PresenceEvent) => {
    if (event.eventType === 'connected' && event.clientId === clientId) {
      connects.push(event.timestamp);
    }
  });
  return connects;
}

async function outboxIn(lines: string[] = []) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'upkeep-guards-'));
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  const logger = createLogger({ write: (line) => lines.push(line) });
  const outbox = await DurableOutbox.open(dir, { logger });
  cleanups.push(() => outbox.close());
  return { dir, outbox };
}

describe('a message the broker refuses', () => {
  it('is set aside after three fatal sends and the queue goes on', async () => {
    const broker = await policyBroker();
    const connects = connectsOf(broker, 'vm');
    const logs: string[] = [];
    const { dir, outbox } = await outboxIn(logs);
    // Left in a shared state folder by an agent of another thing.
    const foreign = await outbox.add({
      topic: 'upkeep/v1/devices/my-laptop/reports',
      payload: '{"from":"my-laptop"}',
    });
    const session = createMqttSession({
      brokerUrl: broker.url,
      clientId: 'vm',
      outbox,
      backoff: { baseMs: 10, maxMs: 40 },
      logger: silentLogger,
    });
    cleanups.push(() => session.stop());

    await expect(foreign.acked).rejects.toMatchObject({
      code: 'outbox-set-aside',
    });
    await session.publish('upkeep/v1/devices/vm/reports', '{"from":"vm"}');

    expect(connects.length).toBe(4);
    const aside = await fs.readFile(path.join(dir, QUARANTINE_FILE), 'utf8');
    expect(JSON.parse(aside)).toMatchObject({
      topic: 'upkeep/v1/devices/my-laptop/reports',
      payload: '{"from":"my-laptop"}',
      reason: expect.stringContaining('closed the connection'),
    });
    expect(logs.some((l) => l.includes('outbox message set aside'))).toBe(true);

    const reopened = await outboxIn();
    await fs.copyFile(
      path.join(dir, 'outbox.log'),
      path.join(reopened.dir, 'outbox.log'),
    );
    const replayed = await DurableOutbox.open(reopened.dir, {
      logger: silentLogger,
    });
    cleanups.push(() => replayed.close());
    expect(replayed.size).toBe(0);
  });
});

describe('the reconnect backoff', () => {
  it('grows while every connection is dropped soon after it opens', async () => {
    const broker = await policyBroker();
    const connects = connectsOf(broker, 'vm');
    const session = createMqttSession({
      brokerUrl: broker.url,
      clientId: 'vm',
      // The birth is not queued, so it is never set aside: each connection
      // is closed right after it.
      birth: () => ({ topic: 'upkeep/v1/devices/other/hello', payload: '{}' }),
      backoff: { baseMs: 20, maxMs: 10_000 },
      random: () => 0.999,
      logger: silentLogger,
    });
    cleanups.push(() => session.stop());

    await new Promise((resolve) => setTimeout(resolve, 1_500));

    // 20, 40, 80, 160, 320, 640 ms: at most 7 connections in 1.5 s; a
    // counter reset on every connect would make it about 50.
    expect(connects.length).toBeGreaterThanOrEqual(4);
    expect(connects.length).toBeLessThanOrEqual(7);
  });
});

describe('requests to reserved topics', () => {
  it('are not journaled and a newer one replaces an unsent one', async () => {
    const { dir, outbox } = await outboxIn();
    const topic = '$aws/things/vm/shadow/name/policy/get';

    const first = await outbox.add({
      topic,
      payload: '{"n":1}',
      request: true,
    });
    await outbox.add({ topic, payload: '{"n":2}', request: true });

    await expect(first.acked).rejects.toMatchObject({
      code: 'outbox-superseded',
    });
    expect(outbox.unsent().map((e) => e.payload)).toEqual(['{"n":2}']);
    await outbox.close();
    const journal = await fs.readFile(path.join(dir, 'outbox.log'), 'utf8');
    expect(journal).not.toContain('policy/get');
  });

  it('journaled by an older agent are dropped on replay', async () => {
    const { dir, outbox } = await outboxIn();
    await outbox.add({
      topic: '$aws/things/vm/jobs/start-next',
      payload: '{}',
    });
    await outbox.add({ topic: 'upkeep/v1/devices/vm/reports', payload: '{}' });
    await outbox.close();

    const replayed = await DurableOutbox.open(dir, { logger: silentLogger });
    cleanups.push(() => replayed.close());

    expect(replayed.unsent().map((e) => e.topic)).toEqual([
      'upkeep/v1/devices/vm/reports',
    ]);
  });

  it('go through the session without a journal line per reconnect', async () => {
    const broker = await policyBroker();
    const { dir, outbox } = await outboxIn();
    const session = createMqttSession({
      brokerUrl: broker.url,
      clientId: 'vm',
      outbox,
      logger: silentLogger,
    });
    cleanups.push(() => session.stop());

    await session.publish('$aws/things/vm/jobs/start-next', '{}');

    const journal = await fs.readFile(path.join(dir, 'outbox.log'), 'utf8');
    expect(journal).not.toContain('start-next');
  });
});
