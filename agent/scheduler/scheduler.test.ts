import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CYCLES } from '../../core/index.js';
import { createLogger, silentLogger } from '../logger.js';
import { STATE_FILE, StateStore } from '../state/state-store.js';
import { fixture, recordedOs } from '../test-support/recorded-os.js';
import { createConditions } from './conditions.js';
import { StateCycleStore } from './cycle-store.js';
import { createScheduler } from './scheduler.js';
import { SimClock } from './sim-clock.js';
import type { DeviceConditions, SchedulerOptions } from './types.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ZONE = 'Europe/Berlin';
const THING = 'laptop-0042';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Run {
  kind: string;
  trigger: string;
  cycleId: string;
  at: string;
}

async function setup(
  start: string,
  extra: Partial<SchedulerOptions> = {},
  dir?: string,
) {
  const stateDir =
    dir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'upkeep-sched-')));
  if (!dir) cleanups.push(() => fs.rm(stateDir, { recursive: true }));
  const state = await StateStore.open(stateDir, silentLogger);
  const store = new StateCycleStore(state, silentLogger, 64);
  const clock = new SimClock(start);
  const runs: Run[] = [];
  const scheduler = createScheduler({
    cycles: CYCLES,
    policy: { timeZone: ZONE },
    thingName: THING,
    now: clock.now,
    timers: clock,
    store,
    logger: silentLogger,
    run: async (cycle, trigger, cycleId) => {
      runs.push({ kind: cycle.kind, trigger, cycleId, at: iso(clock.now()) });
    },
    ...extra,
  });
  cleanups.push(() => scheduler.stop());
  const advance = (ms: number) => clock.advance(ms, () => scheduler.idle());
  return { stateDir, store, clock, runs, scheduler, advance };
}

const iso = (d: Date | number) => new Date(d).toISOString();

async function savedSection(stateDir: string) {
  const file = JSON.parse(
    await fs.readFile(path.join(stateDir, STATE_FILE), 'utf8'),
  );
  return file.sections.scheduler;
}

/** Runs everything once at a fresh start, so later tests start "done". */
async function startedAndCaughtUp(start: string, extra = {}) {
  const setupResult = await setup(start, extra);
  setupResult.scheduler.start();
  await setupResult.scheduler.idle();
  setupResult.runs.splice(0);
  return setupResult;
}

describe('createScheduler', () => {
  it('runs every cycle once at the first start, at once', async () => {
    const { scheduler, runs } = await setup('2026-03-02T09:00:00Z');

    scheduler.start();
    await scheduler.idle();

    expect(runs.map((r) => [r.kind, r.trigger])).toEqual(
      CYCLES.map((c) => [c.kind, 'catch-up']),
    );
    expect(new Set(runs.map((r) => r.at))).toEqual(
      new Set(['2026-03-02T09:00:00.000Z']),
    );
  });

  // Oracle: the laptop left on Monday 2026-03-02 10:00 CET with every
  // cycle done and came back on Wednesday 03-11 10:01 CET. In between fell
  // 54 av-definitions windows, 9 maintenance, 7 spyware-quick, 1
  // spyware-full, 1 patch-assessment and 1 smart window; disk-space's last
  // window (03-02 00:00Z) was already done. Each of the six kinds runs
  // once, for its latest window, as a catch-up.
  it('runs each missed kind once after nine days asleep, and records it', async () => {
    const { scheduler, runs, clock, advance, stateDir } =
      await startedAndCaughtUp('2026-03-02T09:00:00Z');

    clock.sleep(9 * DAY);
    await advance(schedulerTick() + 5 * MINUTE);

    const expected = [
      ['av-definitions', 'av-definitions@2026-03-11T08:00:00.000Z'],
      ['maintenance', 'maintenance@2026-03-10T11:00:00.000Z'],
      ['spyware-quick', 'spyware-quick@2026-03-10T12:00:00.000Z'],
      ['spyware-full', 'spyware-full@2026-03-07T09:00:00.000Z'],
      ['patch-assessment', 'patch-assessment@2026-03-04T10:00:00.000Z'],
      ['smart', 'smart@2026-03-09T00:00:00.000Z'],
    ];
    expect(runs.map((r) => [r.kind, r.cycleId]).sort(byKind)).toEqual(
      expected.sort(byKind),
    );
    expect(new Set(runs.map((r) => r.trigger))).toEqual(new Set(['catch-up']));
    const saved = await savedSection(stateDir);
    for (const [kind, cycleId] of expected) {
      expect(saved.completed[kind as string]).toMatchObject({
        cycleId,
        trigger: 'catch-up',
      });
    }
    expect(saved.completed['disk-space'].cycleId).toBe(
      'disk-space@2026-03-02T00:00:00.000Z',
    );
    await scheduler.stop();
  });

  it('spreads catch-ups after a wake by per-device jitter', async () => {
    const { runs, clock, advance } = await startedAndCaughtUp(
      '2026-03-02T09:00:00Z',
    );
    clock.sleep(9 * DAY);

    await advance(schedulerTick() + 5 * MINUTE);

    const wokeAt = Date.parse('2026-03-11T09:01:00Z');
    const offsets = runs.map((r) => Date.parse(r.at) - wokeAt);
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...offsets)).toBeLessThanOrEqual(2 * MINUTE);
    expect(new Set(offsets).size).toBeGreaterThan(3);
  });

  it('runs a window on schedule once, within its spread', async () => {
    const { runs, advance } = await startedAndCaughtUp('2026-03-02T08:00:00Z');

    await advance(4 * HOUR);

    const maintenance = runs.filter((r) => r.kind === 'maintenance');
    expect(maintenance).toHaveLength(1);
    expect(maintenance[0]).toMatchObject({
      trigger: 'schedule',
      cycleId: 'maintenance@2026-03-02T11:00:00.000Z',
    });
    const late =
      Date.parse(maintenance[0]?.at ?? '') - Date.parse('2026-03-02T11:00:00Z');
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(30 * MINUTE + MINUTE);
  });

  it("runs maintenance inside the client's window", async () => {
    const { runs, advance } = await startedAndCaughtUp('2026-03-02T08:00:00Z', {
      policy: {
        timeZone: ZONE,
        maintenanceWindow: { start: '14:00', end: '15:00' },
      },
    });

    await advance(8 * HOUR);

    const ranAt = runs.find((r) => r.kind === 'maintenance')?.at ?? '';
    expect(ranAt >= '2026-03-02T13:00:00.000Z').toBe(true);
    expect(ranAt < '2026-03-02T14:00:00.000Z').toBe(true);
  });

  it('keeps its completed windows across a restart', async () => {
    const first = await startedAndCaughtUp('2026-03-02T08:00:00Z');
    await first.scheduler.stop();

    const second = await setup('2026-03-02T08:30:00Z', {}, first.stateDir);
    second.scheduler.start();
    await second.scheduler.idle();

    expect(second.runs).toEqual([]);
  });
});

describe('cloud cycle messages', () => {
  const message = (kind: string, dueAt: string, windowMs = DAY) =>
    JSON.stringify({
      v: 1,
      cycleId: `${kind}@${dueAt}`,
      kind,
      dueAt,
      windowEndsAt: iso(Date.parse(dueAt) + windowMs),
    });

  it('runs a window once whether the cloud or its own clock asks', async () => {
    const { scheduler, runs, advance } = await startedAndCaughtUp(
      '2026-03-02T10:59:00Z',
    );
    await advance(MINUTE);
    const cloud = message('maintenance', '2026-03-02T11:00:00.000Z');

    const first = await scheduler.receive(cloud);
    const again = await scheduler.receive(cloud);
    await advance(HOUR);
    const late = await scheduler.receive(cloud);

    expect([first, again, late]).toEqual([
      'accepted',
      'duplicate',
      'duplicate',
    ]);
    expect(runs.filter((r) => r.kind === 'maintenance')).toEqual([
      expect.objectContaining({
        cycleId: 'maintenance@2026-03-02T11:00:00.000Z',
        trigger: 'schedule',
      }),
    ]);
  });

  it("runs a cloud window newer than its own table's", async () => {
    const { scheduler, runs, advance } = await startedAndCaughtUp(
      '2026-03-02T08:00:00Z',
    );

    const outcome = await scheduler.receive(
      message('maintenance', '2026-03-02T08:30:00.000Z', 2 * HOUR),
    );
    await advance(2 * HOUR);

    expect(outcome).toBe('accepted');
    expect(runs.filter((r) => r.kind === 'maintenance')[0]).toMatchObject({
      cycleId: 'maintenance@2026-03-02T08:30:00.000Z',
      trigger: 'schedule',
    });
  });

  it('remembers an accepted id across a restart', async () => {
    const first = await startedAndCaughtUp('2026-03-02T08:00:00Z');
    const cloud = message('maintenance', '2026-03-02T08:30:00.000Z', 2 * HOUR);
    await first.scheduler.receive(cloud);
    await first.scheduler.stop();

    const second = await setup('2026-03-02T08:01:00Z', {}, first.stateDir);

    expect(await second.scheduler.receive(cloud)).toBe('duplicate');
  });

  it('refuses what it cannot or need not run', async () => {
    const { scheduler } = await startedAndCaughtUp('2026-03-02T08:00:00Z', {
      cycles: CYCLES.filter((c) => c.kind !== 'smart'),
    });

    const outcomes = [
      await scheduler.receive('{"v":1}'),
      await scheduler.receive('not json'),
      await scheduler.receive(message('smart', '2026-03-02T00:00:00.000Z')),
      await scheduler.receive(
        message('maintenance', '2026-02-27T11:00:00.000Z'),
      ),
    ];

    expect(outcomes).toEqual(['invalid', 'invalid', 'not-run-here', 'expired']);
  });
});

describe('heavy cycles and failures', () => {
  it('holds a heavy cycle on battery and runs it once back on mains', async () => {
    let conditions: DeviceConditions = { onBattery: true };
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({ write: (l) => lines.push(JSON.parse(l)) });
    const { scheduler, runs, advance } = await setup('2026-03-07T08:00:00Z', {
      cycles: CYCLES.filter((c) => c.kind === 'spyware-full'),
      conditions: async () => conditions,
      logger,
    });

    scheduler.start();
    await advance(10 * MINUTE);
    const whileOnBattery = runs.length;
    conditions = { onBattery: false, metered: undefined };
    await advance(10 * MINUTE);

    expect(whileOnBattery).toBe(0);
    expect(runs).toHaveLength(1);
    expect(lines.filter((l) => l.message === 'heavy cycle waits')).toEqual([
      expect.objectContaining({
        kind: 'spyware-full',
        reasons: ['on-battery'],
      }),
    ]);
  });

  // Oracle: the Windows probe (PowerShell at the OS boundary, answered
  // with the script's JSON for a laptop presenting on a tethered phone)
  // holds the Saturday full scan; once the same laptop is back on an
  // unrestricted network with notifications accepted, it runs once.
  it('holds a heavy cycle while metered and presenting, as Windows tells', async () => {
    const answers = {
      'powershell.exe': {
        stdout: fixture(
          new URL('../platform/windows/', import.meta.url).href,
          'conditions.laptop-hotspot-presenting.json',
        ),
      },
    };
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({ write: (l) => lines.push(JSON.parse(l)) });
    const { scheduler, runs, advance } = await setup('2026-03-07T08:00:00Z', {
      cycles: CYCLES.filter((c) => c.kind === 'spyware-full'),
      conditions: createConditions({
        platform: 'win32',
        run: recordedOs(answers).run,
      }),
      logger,
    });

    scheduler.start();
    await advance(10 * MINUTE);
    const whilePresenting = runs.length;
    answers['powershell.exe'].stdout = JSON.stringify({
      sessionId: 1,
      powerLineStatus: 'Online',
      cost: { networkCostType: 'Unrestricted' },
      notificationHresult: 0,
      notificationState: 5,
    });
    await advance(10 * MINUTE);

    expect(whilePresenting).toBe(0);
    expect(runs.map((r) => r.kind)).toEqual(['spyware-full']);
    expect(lines.filter((l) => l.message === 'heavy cycle waits')).toEqual([
      expect.objectContaining({
        kind: 'spyware-full',
        reasons: ['on-battery', 'metered-network', 'presenting'],
        presentingBy: 'QUNS_PRESENTATION_MODE',
      }),
    ]);
  });

  it('runs a heavy cycle when the conditions cannot be read at all', async () => {
    const { scheduler, runs, advance } = await setup('2026-03-07T08:00:00Z', {
      cycles: CYCLES.filter((c) => c.kind === 'spyware-full'),
      conditions: async () => {
        throw new Error('probe crashed');
      },
    });

    scheduler.start();
    await advance(10 * MINUTE);

    expect(runs.map((r) => r.kind)).toEqual(['spyware-full']);
  });

  it('retries a failed run after the pause, not in a loop', async () => {
    let calls = 0;
    const { scheduler, advance, store } = await setup('2026-03-02T08:00:00Z', {
      cycles: CYCLES.filter((c) => c.kind === 'disk-space'),
      run: async () => {
        calls++;
        if (calls === 1) throw new Error('probe crashed');
      },
    });

    scheduler.start();
    await advance(10 * MINUTE);
    const afterFailure = calls;
    await advance(10 * MINUTE);

    expect(afterFailure).toBe(1);
    expect(calls).toBe(2);
    expect(store.completed('disk-space')?.cycleId).toBe(
      'disk-space@2026-03-02T00:00:00.000Z',
    );
  });
});

function schedulerTick() {
  return 60_000;
}

function byKind(a: string[], b: string[]) {
  return (a[0] ?? '').localeCompare(b[0] ?? '');
}
