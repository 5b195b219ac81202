import { Logger } from '@aws-lambda-powertools/logger';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { createLambdaContext } from '../../local/lambda-context.js';
import { DeviceRegistry } from '../lib/device-registry.js';
import { hello } from '../test-support/messages.js';
import { startStack, TABLE_NAME } from '../test-support/stack.js';
import { createPresenceHandler } from './create-presence-handler.js';
import {
  createSweepHandler,
  type SweepResult,
} from './create-sweep-handler.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const H = 3_600_000;
const NOW = Date.parse('2026-03-11T18:00:00.000Z');
const KINDS = [
  'av-definitions',
  'maintenance',
  'spyware-quick',
  'spyware-full',
  'patch-assessment',
  'disk-space',
  'smart',
];

async function setUp() {
  const stack = await startStack(cleanups);
  const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
  let clock = NOW;
  const sweep = createSweepHandler({
    config: stack.config,
    clients: stack.clients,
    logger,
    now: () => clock,
  });
  const presence = createPresenceHandler({
    config: stack.config,
    clients: stack.clients,
    logger,
  });
  const registry = new DeviceRegistry(stack.clients.doc, TABLE_NAME);
  const context = () => createLambdaContext({ functionName: 'test' });

  /** A device whose hello says when each kind last ran. */
  const device = async (thing: string, lastRuns: Record<string, string>) => {
    await registry.register(thing, 'acme', NOW - 30 * 24 * H);
    await registry.recordHello(
      thing,
      { ...hello(thing), lastRuns },
      NOW - 2 * H,
    );
  };
  return {
    ...stack,
    device,
    runSweep: () => sweep({}, context()) as Promise<SweepResult>,
    lifecycle: (event: object) => presence(event, context()),
    setClock: (at: number) => {
      clock = at;
    },
  };
}

function doneAt(at: number, except: Record<string, string> = {}) {
  return {
    ...Object.fromEntries(KINDS.map((k) => [k, new Date(at).toISOString()])),
    ...except,
  };
}

describe('sweep', () => {
  it('raises maintenance.missed for an online device and resolves it after a run', async () => {
    const t = await setUp();
    await t.device('lap-1', doneAt(NOW - H, { smart: '2026-01-01T00:00:00Z' }));
    await t.lifecycle({
      eventType: 'connected',
      clientId: 'lap-1',
      timestamp: NOW - 3 * H,
    });

    const first = await t.runSweep();
    const finding = await t.getItem(
      'DEVICE#lap-1',
      'FINDING#maintenance.missed#smart',
    );

    expect(first).toEqual({ devices: 1, raised: 1, resolved: 0, waiting: 0 });
    expect(finding).toMatchObject({
      code: 'maintenance.missed',
      subject: 'smart',
      check: 'sweep',
      status: 'open',
      severity: 'warning',
      gsi1pk: 'CLIENT#acme',
      detail: {
        presence: 'online',
        lastCompletedAt: '2026-01-01T00:00:00.000Z',
      },
    });

    // A second sweep does not count it again.
    expect(await t.runSweep()).toMatchObject({ raised: 0, resolved: 0 });

    await t.clients.doc.send(
      new UpdateCommand({
        TableName: TABLE_NAME,
        Key: { pk: 'DEVICE#lap-1', sk: 'META' },
        UpdateExpression: 'SET hello.lastRuns = :runs',
        ExpressionAttributeValues: { ':runs': doneAt(NOW + H) },
      }),
    );
    t.setClock(NOW + 2 * H);
    expect(await t.runSweep()).toMatchObject({ raised: 0, resolved: 1 });
    expect(
      await t.getItem('DEVICE#lap-1', 'FINDING#maintenance.missed#smart'),
    ).toMatchObject({ status: 'resolved' });
    expect((await t.getItem('DEVICE#lap-1', 'META'))?.missedKinds).toEqual([]);
  });

  it('waits for a device shut down cleanly and for one lost within the grace', async () => {
    const t = await setUp();
    const stale = doneAt(NOW - H, {
      'patch-assessment': '2026-02-01T00:00:00Z',
    });
    await t.device('lap-off', stale);
    await t.device('lap-lost', stale);
    await t.lifecycle({
      eventType: 'disconnected',
      clientId: 'lap-off',
      timestamp: NOW - 5 * 24 * H,
      clientInitiatedDisconnect: true,
      disconnectReason: 'CLIENT_INITIATED_DISCONNECT',
    });
    await t.lifecycle({
      eventType: 'disconnected',
      clientId: 'lap-lost',
      timestamp: NOW - 2 * H,
      clientInitiatedDisconnect: false,
      disconnectReason: 'CONNECTION_LOST',
    });

    expect(await t.runSweep()).toEqual({
      devices: 2,
      raised: 0,
      resolved: 0,
      waiting: 2,
    });

    t.setClock(NOW + 26 * H);
    await t.runSweep();
    const offFindings = (await t.deviceItems('lap-off')).filter((i) =>
      String(i.sk).startsWith('FINDING#'),
    );

    expect(offFindings).toEqual([]);
    expect(
      await t.getItem(
        'DEVICE#lap-lost',
        'FINDING#maintenance.missed#patch-assessment',
      ),
    ).toMatchObject({ detail: { presence: 'connection-lost' } });
  });
});

describe('presence handler', () => {
  it('keeps the latest lifecycle event and ignores an older one and strangers', async () => {
    const t = await setUp();
    await t.device('lap-1', doneAt(NOW));

    await t.lifecycle({
      eventType: 'connected',
      clientId: 'lap-1',
      timestamp: NOW,
    });
    const older = await t.lifecycle({
      eventType: 'disconnected',
      clientId: 'lap-1',
      timestamp: NOW - H,
      clientInitiatedDisconnect: false,
    });
    const stranger = await t.lifecycle({
      eventType: 'connected',
      clientId: 'tool-9',
      timestamp: NOW,
    });
    const garbage = await t.lifecycle({ eventType: 'subscribed' });

    expect(older).toEqual({ stored: false });
    expect(stranger).toEqual({ stored: false });
    expect(garbage).toEqual({ stored: false });
    expect((await t.getItem('DEVICE#lap-1', 'META'))?.presence).toEqual({
      state: 'connected',
      atMs: NOW,
    });
  });
});
