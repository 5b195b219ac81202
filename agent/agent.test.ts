import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  deviceTopic,
  helloSchema,
  type Report,
  reportSchema,
  ulidTime,
} from '../core/index.js';
import { type AgentHandle, startAgent } from './agent.js';
import { diskSpaceCheck } from './checks/disk-space/index.js';
import { probeLinuxVolumes } from './checks/disk-space/linux-probe.js';
import { AgentConfigError } from './errors.js';
import { silentLogger } from './logger.js';
import { STATE_FILE } from './state/state-store.js';
import {
  type ReceivedMessage,
  startBroker,
  subscribe,
  type TestBroker,
} from './test-support/broker.js';

const THING = 'agent-test-01';
const helloTopic = deviceTopic(THING, 'hello');
const reportsTopic = deviceTopic(THING, 'reports');
const fast = { baseMs: 50, maxMs: 200 };

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'upkeep-agent-'));
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

async function broker(port?: number) {
  const b = await startBroker({ port });
  cleanups.push(() => b.close());
  return b;
}

async function agent(b: TestBroker, stateDir: string, extra = {}) {
  const handle = await startAgent({
    brokerUrl: b.url,
    thingName: THING,
    stateDir,
    logger: silentLogger,
    reconnect: fast,
    ...extra,
  });
  cleanups.push(() => handle.stop());
  return handle;
}

const on = (topic: string) => (m: ReceivedMessage) => m.topic === topic;
const reportOf = (check: string) => (m: ReceivedMessage) =>
  m.topic === reportsTopic && JSON.parse(m.payload).check === check;
const parseReport = (m: ReceivedMessage) =>
  reportSchema.parse(JSON.parse(m.payload));

describe('startAgent', () => {
  // A fresh agent catches up every cycle at once, the maintenance cycle
  // first: cleanup, then disk-space, so the disk figures show what cleanup
  // freed.
  it('sends a hello, then a disk-space report of this machine', async () => {
    const b = await broker();
    const observer = await subscribe(b.url, 'upkeep/v1/devices/+/+');
    cleanups.push(() => observer.close());

    await agent(b, await tempDir());
    const [helloMessage] = await observer.waitFor(on(helloTopic));
    const [reportMessage] = await observer.waitFor(reportOf('disk-space'));
    const reports = observer.messages.filter(on(reportsTopic));

    const hello = helloSchema.parse(JSON.parse(helloMessage?.payload ?? ''));
    expect(hello).toMatchObject({
      deviceId: THING,
      capabilities: [
        'cleanup',
        'disk-space',
        'patch-assessment',
        'antivirus',
        'smart',
        'spyware-scan',
      ],
      os: { platform: 'linux', hostname: os.hostname() },
    });
    const report = parseReport(reportMessage as ReceivedMessage);
    expect(report).toMatchObject({
      deviceId: THING,
      check: 'disk-space',
      trigger: 'catch-up',
      cycleId: expect.stringMatching(/^maintenance@/),
    });
    const order = reports.map((m) => JSON.parse(m.payload).check);
    expect(order.slice(0, order.indexOf('disk-space') + 1)).toEqual([
      'cleanup',
      'disk-space',
    ]);
    expect(observer.messages[0]?.topic).toBe(helloTopic);
  });

  it("reports each of this machine's volumes with its size and free bytes", async () => {
    const b = await broker();
    const observer = await subscribe(b.url, reportsTopic);
    cleanups.push(() => observer.close());

    await agent(b, await tempDir());
    const [message] = await observer.waitFor(reportOf('disk-space'));

    const report = parseReport(message as ReceivedMessage);
    if (report.check !== 'disk-space') throw new Error('not a disk report');
    const probed = await probeLinuxVolumes();
    expect(report.data.volumes.map((v) => [v.id, v.totalBytes])).toEqual(
      probed.volumes.map((v) => [v.id, v.totalBytes]),
    );
    const root = report.data.volumes.find((v) => v.id === '/');
    const stats = await fs.statfs('/');
    expect(root?.totalBytes).toBe(stats.blocks * stats.bsize);
  });

  it('records the run time and sends it in the next hello', async () => {
    const b = await broker();
    const stateDir = await tempDir();
    const first = await agent(b, stateDir, { schedule: false });
    const report = await first.runCheck('disk-space');
    await first.stop();
    const observer = await subscribe(b.url, helloTopic);
    cleanups.push(() => observer.close());

    await agent(b, stateDir, { schedule: false });
    const [message] = await observer.waitFor(on(helloTopic));

    const saved = JSON.parse(
      await fs.readFile(path.join(stateDir, STATE_FILE), 'utf8'),
    );
    expect(saved.lastRuns['disk-space']).toBe(report.finishedAt);
    const hello = helloSchema.parse(JSON.parse(message?.payload ?? ''));
    expect(hello.lastRuns).toEqual({ 'disk-space': report.finishedAt });
  });

  it('delivers a report made while the broker was down once it is back', async () => {
    const first = await startBroker();
    const handle = await agent(first, await tempDir(), { schedule: false });
    await first.waitForPublish(on(helloTopic));
    await first.close();

    const report = await handle.runCheck('disk-space');
    const second = await broker(first.port);
    const [message] = await second.waitForPublish(
      (m) => m.topic === reportsTopic && m.payload.includes(report.reportId),
    );

    expect(parseReport(message as ReceivedMessage)).toEqual(report);
    expect(second.published[0]?.topic).toBe(helloTopic);
    expect(first.published.map((m) => m.topic)).toEqual([helloTopic]);
  });

  it('reruns disk-space every checkIntervalMs', async () => {
    const b = await broker();

    await agent(b, await tempDir(), { checkIntervalMs: 200 });
    const messages = await b.waitForPublish(on(reportsTopic), 3);

    const reports = messages.map(parseReport);
    expect(reports.map((r) => r.trigger)).toEqual([
      'schedule',
      'schedule',
      'schedule',
    ]);
    expect(new Set(reports.map((r) => r.reportId)).size).toBe(3);
  });

  it('stamps reports with the injected clock', async () => {
    const b = await broker();
    const now = () => new Date('2026-03-02T09:30:00.000Z');
    const handle = await agent(b, await tempDir(), { schedule: false, now });

    const report: Report = await handle.runCheck('disk-space', 'job');

    expect(report).toMatchObject({
      trigger: 'job',
      startedAt: '2026-03-02T09:30:00.000Z',
      finishedAt: '2026-03-02T09:30:00.000Z',
    });
    expect(ulidTime(report.reportId)).toBe(now().getTime());
  });

  it('rejects a check it does not have with unknown-check', async () => {
    const b = await broker();
    const handle: AgentHandle = await agent(b, await tempDir(), {
      schedule: false,
      checks: [diskSpaceCheck],
    });

    await expect(handle.runCheck('smart')).rejects.toMatchObject({
      code: 'unknown-check',
    });
  });

  // node --expose-gc (the launchers) gives the agent a full collection;
  // after the last queued run and a quiet spell it asks for two.
  it('asks for full collections once its runs are over', async () => {
    const b = await broker();
    const exposed = Object.getOwnPropertyDescriptor(globalThis, 'gc');
    let collections = 0;
    Object.defineProperty(globalThis, 'gc', {
      value: () => collections++,
      configurable: true,
    });
    const handle = await agent(b, await tempDir(), {
      schedule: false,
      checks: [diskSpaceCheck],
    }).finally(() => {
      if (exposed) Object.defineProperty(globalThis, 'gc', exposed);
      else Reflect.deleteProperty(globalThis, 'gc');
    });

    await Promise.all([
      handle.runCheck('disk-space'),
      handle.runCheck('disk-space'),
    ]);
    expect(collections).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 3_500));

    expect(collections).toBe(2);
  });

  it('refuses options it cannot use before touching the network', async () => {
    const base = { brokerUrl: 'mqtt://127.0.0.1:1', stateDir: await tempDir() };

    await expect(startAgent({ ...base, thingName: 'a b' })).rejects.toThrow(
      AgentConfigError,
    );
    await expect(
      startAgent({ ...base, thingName: 'x', platform: 'aix' }),
    ).rejects.toThrow(/linux, win32, darwin/);
    await expect(
      startAgent({ ...base, thingName: 'x', checkIntervalMs: 0 }),
    ).rejects.toThrow(/checkIntervalMs/);
  });
});
