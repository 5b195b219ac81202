import { describe, expect, it } from 'vitest';
import { type CheckKind, CYCLES } from '../../core/index.js';
import { silentLogger } from '../logger.js';
import { createCycleRun, receiptOf, runnableCycles } from './run-cycle.js';

const cycle = (kind: string) => {
  const found = CYCLES.find((c) => c.kind === kind);
  if (!found) throw new Error(kind);
  return found;
};

function port(kinds: CheckKind[]) {
  const runs: string[] = [];
  return {
    runs,
    checks: {
      kinds: () => kinds,
      run: async (kind: CheckKind, trigger: string, cycleId: string) => {
        runs.push(`${kind} ${trigger} ${cycleId}`);
      },
    },
  };
}

describe('createCycleRun', () => {
  const id = 'maintenance@2026-03-02T11:00:00.000Z';

  it("runs the cycle's checks this agent has, in the agent's order", async () => {
    const { runs, checks } = port(['disk-space', 'cleanup', 'smart']);
    const run = createCycleRun({
      checks,
      hasReceipt: () => false,
      now: () => new Date(),
      logger: silentLogger,
    });

    await run(cycle('maintenance'), 'schedule', id);

    expect(runs).toEqual([
      `disk-space schedule ${id}`,
      `cleanup schedule ${id}`,
    ]);
  });

  it('skips a check whose report for the window is already stored', async () => {
    const { runs, checks } = port(['disk-space', 'cleanup']);
    const stored = new Set([receiptOf(id, 'disk-space')]);
    const run = createCycleRun({
      checks,
      hasReceipt: (r) => stored.has(r),
      now: () => new Date(),
      logger: silentLogger,
    });

    await run(cycle('maintenance'), 'catch-up', id);

    expect(runs).toEqual([`cleanup catch-up ${id}`]);
  });

  it('lets a check that just ran stand for a second cycle', async () => {
    let now = Date.parse('2026-03-02T11:00:00Z');
    const { runs, checks } = port(['disk-space']);
    const run = createCycleRun({
      checks,
      hasReceipt: () => false,
      now: () => new Date(now),
      logger: silentLogger,
    });

    await run(cycle('maintenance'), 'catch-up', id);
    await run(cycle('disk-space'), 'catch-up', 'disk-space@x');
    now += 11 * 60_000;
    await run(cycle('disk-space'), 'catch-up', 'disk-space@y');

    expect(runs).toEqual([
      `disk-space catch-up ${id}`,
      'disk-space catch-up disk-space@y',
    ]);
  });

  it('never lets a quick scan stand for a full one', async () => {
    const now = Date.parse('2026-03-02T09:00:00Z');
    const { runs, checks } = port(['spyware-scan']);
    const run = createCycleRun({
      checks,
      hasReceipt: () => false,
      now: () => new Date(now),
      logger: silentLogger,
    });
    const quick = 'spyware-quick@2026-02-27T13:00:00.000Z';
    const full = 'spyware-full@2026-02-28T10:00:00.000Z';

    await run(cycle('spyware-quick'), 'catch-up', quick);
    await run(cycle('spyware-full'), 'catch-up', full);

    expect(runs).toEqual([
      `spyware-scan catch-up ${quick}`,
      `spyware-scan catch-up ${full}`,
    ]);
  });
});

describe('runnableCycles', () => {
  it('keeps cycles with a check here, cheapest first', () => {
    const kinds: CheckKind[] = ['disk-space', 'cleanup', 'antivirus'];

    const cycles = runnableCycles(CYCLES, kinds).map((c) => c.kind);

    expect(cycles).toEqual(['maintenance', 'disk-space', 'av-definitions']);
  });
});
