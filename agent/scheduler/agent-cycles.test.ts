import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CycleDefinition,
  deviceTopic,
  groupCycleTopic,
  reportSchema,
} from '../../core/index.js';
import { type AgentHandle, type AgentOptions, startAgent } from '../agent.js';
import type { Check } from '../checks/types.js';
import { silentLogger } from '../logger.js';
import { STATE_FILE } from '../state/state-store.js';
import {
  type ReceivedMessage,
  startBroker,
  type TestBroker,
} from '../test-support/broker.js';

const THING = 'cycles-test-01';
const reportsTopic = deviceTopic(THING, 'reports');
const HOUR = 3_600_000;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A check that answers at once, counting its runs. */
function fastCheck(): Check & { runs: number } {
  const check = {
    kind: 'smart' as const,
    runs: 0,
    run: async () => {
      check.runs++;
      return { verdict: 'ok' as const, findings: [], data: { n: check.runs } };
    },
  };
  return check;
}

const smartCycle: CycleDefinition = {
  kind: 'smart',
  schedule: 'rate(14 days)',
  startDate: '2026-01-12T00:00:00.000Z',
  windowMs: 14 * 24 * HOUR,
  checks: ['smart'],
  heavy: false,
};

async function setup() {
  const broker = await startBroker();
  cleanups.push(() => broker.close());
  const stateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'upkeep-cyc-'));
  cleanups.push(() => fs.rm(stateDir, { recursive: true, force: true }));
  return { broker, stateDir };
}

async function agent(
  broker: TestBroker,
  stateDir: string,
  extra: Partial<AgentOptions>,
): Promise<AgentHandle> {
  const handle = await startAgent({
    brokerUrl: broker.url,
    thingName: THING,
    stateDir,
    logger: silentLogger,
    reconnect: { baseMs: 50, maxMs: 200 },
    cycles: [smartCycle],
    scheduler: { scheduleSpreadMs: 0, shareCheckWithinMs: 0 },
    ...extra,
  });
  cleanups.push(() => handle.stop());
  return handle;
}

const cycleIdsOf = (messages: ReceivedMessage[]) =>
  messages
    .filter((m) => m.topic === reportsTopic)
    .map((m) => reportSchema.parse(JSON.parse(m.payload)).cycleId);

async function publishAs(url: string, topic: string, payload: string) {
  const client = await mqtt.connectAsync(url, {
    protocolVersion: 4,
    clientId: `cloud-${process.pid}`,
    reconnectPeriod: 0,
  });
  await client.publishAsync(topic, payload, { qos: 1 });
  await client.endAsync();
}

describe('agent cycles', () => {
  it("runs a cycle from its group's topic once, however often it comes", async () => {
    const { broker, stateDir } = await setup();
    const check = fastCheck();
    const handle = await agent(broker, stateDir, {
      checks: [check],
      groups: ['client-a'],
    });
    await handle.connected();
    await broker.waitForPublish((m) => m.topic === reportsTopic);
    // Due after the start-up run, so that run does not cover it.
    const dueAt = new Date(Date.now() + 500).toISOString();
    const message = JSON.stringify({
      v: 1,
      cycleId: `smart@${dueAt}`,
      kind: 'smart',
      dueAt,
      windowEndsAt: new Date(Date.now() + HOUR).toISOString(),
    });

    await publishAs(broker.url, groupCycleTopic('client-a'), message);
    await publishAs(broker.url, groupCycleTopic('client-a'), message);
    await broker.waitForPublish((m) => m.topic === reportsTopic, 2);
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(cycleIdsOf(broker.published)).toEqual([
      expect.stringMatching(/^smart@2026-/),
      `smart@${dueAt}`,
    ]);
    expect(check.runs).toBe(2);
  });

  // Oracle: the report for a window is stored before the window is marked
  // done. If the mark is lost (a crash between the two), the restart finds
  // the report's receipt in the outbox and marks the window without
  // running the check again: one report per window.
  it('does not report a window twice when its completion was lost', async () => {
    const { broker, stateDir } = await setup();
    const first = await agent(broker, stateDir, { checks: [fastCheck()] });
    await broker.waitForPublish((m) => m.topic === reportsTopic);
    await first.stop();
    const stateFile = path.join(stateDir, STATE_FILE);
    const state = JSON.parse(await fs.readFile(stateFile, 'utf8'));
    const window = state.sections.scheduler.completed.smart.cycleId;
    delete state.sections;
    await fs.writeFile(stateFile, JSON.stringify(state));

    const check = fastCheck();
    const second = await agent(broker, stateDir, { checks: [check] });
    await second.connected();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await second.stop();

    const saved = JSON.parse(await fs.readFile(stateFile, 'utf8'));
    expect(check.runs).toBe(0);
    expect(cycleIdsOf(broker.published)).toEqual([window]);
    expect(saved.sections.scheduler.completed.smart.cycleId).toBe(window);
  });

  it('refuses a group name that would change the topic it follows', async () => {
    const { broker, stateDir } = await setup();

    const started = startAgent({
      brokerUrl: broker.url,
      thingName: THING,
      stateDir,
      logger: silentLogger,
      groups: ['client-a/+'],
    });

    await expect(started).rejects.toThrow(/groups must be thing group names/);
  });
});
