import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import type { AgentLogger } from '../../agent/logger.js';
import { DeviceRegistry } from '../../lambdas/lib/device-registry.js';
import { startStack, TABLE_NAME } from '../../lambdas/test-support/stack.js';
import { createLocalBroker } from '../broker/broker.js';
import { Closers } from '../closers.js';
import { startCycleParts } from './cycle-parts.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(speed: number) {
  const stack = await startStack(cleanups);
  const broker = await createLocalBroker({ port: 0 });
  onTestFinished(() => broker.close());
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-cycle-parts-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const closers = new Closers();
  onTestFinished(() => closers.closeAll());
  const warnings: string[] = [];
  const logger: AgentLogger = {
    debug: () => {},
    info: () => {},
    warn: (message) => void warnings.push(message),
    error: (message) => void warnings.push(message),
  };
  const endpoint = stack.clients.dynamo.config.endpoint;
  const url = endpoint ? await endpoint() : undefined;
  const parts = await startCycleParts({
    broker,
    stateDir: dir,
    env: {
      TABLE_NAME,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_DYNAMODB: `${url?.protocol}//${url?.hostname}:${url?.port}`,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    closers,
    logger,
    speed,
  });
  const registry = new DeviceRegistry(stack.clients.doc, TABLE_NAME);
  return { ...stack, broker, parts, registry, warnings };
}

describe('the cycle parts of the local stack', () => {
  it('sends scheduled cycle messages to the local group on a fast clock', async () => {
    const t = await setUp(36_000);
    await t.registry.register('lap-1', 'local', Date.now());
    const device = await mqtt.connectAsync(t.broker.url, {
      clientId: 'lap-1',
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    onTestFinished(() => device.endAsync(true));
    const kinds: string[] = [];
    device.on('message', (_topic, payload) =>
      kinds.push(JSON.parse(String(payload)).kind),
    );
    await device.subscribeAsync('upkeep/v1/groups/client-local/cycles', {
      qos: 1,
    });

    await expect
      .poll(() => kinds, { timeout: 10_000 })
      .toContain('av-definitions');
    expect(t.parts.scheduler.fired).toBeGreaterThan(0);
    expect(t.warnings).toEqual([]);
  });

  it('keeps how a device left on its registration', async () => {
    const t = await setUp(1);
    await t.registry.register('lap-2', 'local', Date.now());
    const device = await mqtt.connectAsync(t.broker.url, {
      clientId: 'lap-2',
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    await device.endAsync();

    await expect
      .poll(async () => (await t.getItem('DEVICE#lap-2', 'META'))?.presence)
      .toMatchObject({ state: 'disconnected', clean: true });
  });
});
