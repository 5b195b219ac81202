import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  DEFAULT_POLICY,
  effectivePolicy,
  type Policy,
} from '../../core/index.js';
import { createLocalBroker } from '../../local/broker/broker.js';
import { startShadowService } from '../../local/shadow/shadow-service.js';
import { ShadowStore } from '../../local/shadow/shadow-store.js';
import type { AgentLogger } from '../logger.js';
import { StateStore } from '../state/state-store.js';
import { createMqttSession } from '../transport/mqtt-session.js';
import { POLICY_SECTION, startPolicySync } from './policy-sync.js';

const silent: AgentLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

async function setUp(
  stateDir = tempDir(),
  prepareZone?: (zone: string) => Promise<void>,
) {
  const broker = await createLocalBroker({ port: 0 });
  onTestFinished(() => broker.close());
  const shadows = await startShadowService({
    broker,
    store: ShadowStore.open(),
  });
  onTestFinished(() => shadows.close());
  const state = await StateStore.open(stateDir, silent);
  const applied: Policy[] = [];
  const sync = startPolicySync({
    thingName: 'lap-1',
    state,
    transport: () => session,
    initial: DEFAULT_POLICY,
    onApply: (p) => applied.push(p),
    ...(prepareZone ? { prepareZone } : {}),
    logger: silent,
  });
  const session = createMqttSession({
    brokerUrl: broker.url,
    clientId: 'lap-1',
    logger: silent,
    subscriptions: sync.subscriptions,
    onMessage: (topic, payload) => void sync.handleMessage(topic, payload),
    onConnect: () => sync.connected(),
  });
  onTestFinished(() => session.stop());
  return { shadows, state, sync, applied, stateDir };
}

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-policy-sync-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const POLICY = effectivePolicy({ client: { disk: { minFreePercent: 17 } } });

describe('policy sync', () => {
  it('applies a desired policy, keeps it and reports it, clearing the delta', async () => {
    const t = await setUp();

    await t.shadows.update(
      'lap-1',
      'policy',
      JSON.stringify({ state: { desired: POLICY } }),
    );

    await expect
      .poll(() => t.applied.map((p) => p.version))
      .toEqual([POLICY.version]);
    expect(t.sync.current().disk.minFreePercent).toBe(17);
    expect(t.state.section(POLICY_SECTION)).toEqual(POLICY);
    await expect
      .poll(async () => (await t.shadows.get('lap-1', 'policy')).state)
      .toEqual({ desired: POLICY, reported: POLICY });
  });

  it('reads the shadow on connect and runs the kept policy after a restart', async () => {
    const dir = tempDir();
    const first = await setUp(dir);
    await first.shadows.update(
      'lap-1',
      'policy',
      JSON.stringify({ state: { desired: POLICY } }),
    );
    await expect.poll(() => first.applied.length).toBe(1);

    const state = await StateStore.open(dir, silent);
    const restarted = startPolicySync({
      thingName: 'lap-1',
      state,
      transport: () => ({ publish: async () => {} }),
      initial: DEFAULT_POLICY,
      logger: silent,
    });

    expect(restarted.current().version).toBe(POLICY.version);
  });

  it('has the zone of a desired policy prepared before it reads it', async () => {
    const steps: string[] = [];
    const t = await setUp(tempDir(), async (zone) => {
      steps.push(`prepare ${zone}`);
    });
    const berlin = effectivePolicy({ client: { timeZone: 'Europe/Berlin' } });

    await t.shadows.update(
      'lap-1',
      'policy',
      JSON.stringify({ state: { desired: berlin } }),
    );
    await expect.poll(() => t.applied.length).toBe(1);

    expect(steps).toEqual(['prepare Europe/Berlin']);
    expect(t.sync.current().timeZone).toBe('Europe/Berlin');
  });

  it('refuses a policy with a field of the wrong type and keeps its own', async () => {
    const t = await setUp();

    await t.shadows.update(
      'lap-1',
      'policy',
      JSON.stringify({
        state: { desired: { ...POLICY, disk: { minFreePercent: 'many' } } },
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await t.sync.idle();

    expect(t.applied).toEqual([]);
    expect(t.sync.current().version).toBe(DEFAULT_POLICY.version);
  });

  it('ignores topics that are not its shadow', async () => {
    const sync = startPolicySync({
      thingName: 'lap-1',
      state: await StateStore.open(tempDir(), silent),
      transport: () => ({ publish: async () => {} }),
      initial: DEFAULT_POLICY,
      logger: silent,
    });

    expect(sync.handleMessage('upkeep/v1/groups/client-a/cycles', '{}')).toBe(
      false,
    );
    expect(
      sync.handleMessage(
        '$aws/things/lap-1/shadow/name/policy/update/documents',
        '{}',
      ),
    ).toBe(true);
  });
});
