import { afterEach, describe, expect, it } from 'vitest';
import { startStack } from '../test-support/stack.js';
import { DeviceRegistry } from './device-registry.js';
import { lastSeenFact } from './meta-facts.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp() {
  const stack = await startStack(cleanups);
  const registry = new DeviceRegistry(
    stack.clients.doc,
    stack.config.tableName,
  );
  return { ...stack, registry };
}

const T1 = Date.parse('2026-12-04T09:00:00.000Z');
const T2 = Date.parse('2026-12-04T10:00:00.000Z');

describe('DeviceRegistry', () => {
  it('records one message in one update and returns the registration', async () => {
    const t = await setUp();
    await t.registry.register('lap-1', 'acme', T1);

    const meta = await t.registry.touch('lap-1', [lastSeenFact(T2)]);

    expect(meta).toMatchObject({
      thingName: 'lap-1',
      clientId: 'acme',
      lastSeenAt: '2026-12-04T10:00:00.000Z',
    });
  });

  it('changes nothing for an older message or an unknown device', async () => {
    const t = await setUp();
    await t.registry.register('lap-2', 'acme', T1, [lastSeenFact(T2)]);

    const older = await t.registry.touch('lap-2', [lastSeenFact(T1)]);
    const unknown = await t.registry.touch('lap-9', [lastSeenFact(T2)]);

    expect(older).toBeUndefined();
    expect(unknown).toBeUndefined();
    expect((await t.registry.getMeta('lap-2'))?.lastSeenMs).toBe(T2);
    expect(await t.registry.getMeta('lap-9')).toBeUndefined();
  });

  it('puts the facts on the registration that won a race', async () => {
    // Oracle: the second registration finds META taken; its client does
    // not win, but what its message said about the device is recorded.
    const t = await setUp();
    await t.registry.register('lap-3', 'acme', T1, [lastSeenFact(T1)]);

    const meta = await t.registry.register('lap-3', 'other', T2, [
      lastSeenFact(T2),
    ]);

    expect(meta).toMatchObject({ clientId: 'acme', lastSeenMs: T2 });
  });
});
