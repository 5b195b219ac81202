import { describe, expect, it } from 'vitest';
import { CYCLES, type CycleDefinition } from '../../core/index.js';
import { type PlanInput, planRuns } from './plan.js';
import type { CompletedCycle } from './types.js';

const at = (iso: string) => Date.parse(iso);
const only = (kind: string) =>
  CYCLES.filter((c) => c.kind === kind) as readonly CycleDefinition[];

function input(over: Partial<PlanInput>): PlanInput {
  return {
    cycles: CYCLES,
    now: at('2026-03-02T09:00:00Z'),
    activeSince: at('2026-03-02T09:00:00Z'),
    thingName: 'laptop-0042',
    policy: { timeZone: 'Europe/Berlin' },
    completed: () => undefined,
    accepted: [],
    catchUpSpreadMs: 120_000,
    scheduleSpreadMs: 30 * 60_000,
    ...over,
  };
}

describe('planRuns', () => {
  it('schedules a window whose planned time is still ahead, not a catch-up', () => {
    const [plan] = planRuns(
      input({
        cycles: only('av-definitions'),
        now: at('2026-03-02T08:00:00Z'),
        activeSince: at('2026-03-02T08:00:00Z'),
        catchUpSpreadMs: 0,
      }),
    );

    expect(plan?.trigger).toBe('schedule');
    expect(plan?.runAt).toBeGreaterThanOrEqual(at('2026-03-02T08:00:00Z'));
  });

  it('catches up a window planned before the agent became active', () => {
    const [plan] = planRuns(input({ cycles: only('maintenance') }));

    expect(plan).toMatchObject({
      cycleId: 'maintenance@2026-03-01T11:00:00.000Z',
      trigger: 'catch-up',
    });
    expect(plan?.runAt).toBeLessThan(at('2026-03-02T09:02:00Z'));
  });

  it('skips a window a run completed after its due time', () => {
    const done: CompletedCycle = {
      cycleId: 'maintenance@2026-02-28T11:00:00.000Z',
      completedAt: '2026-03-01T11:20:00.000Z',
      trigger: 'schedule',
    };

    const plans = planRuns(
      input({ cycles: only('maintenance'), completed: () => done }),
    );

    expect(plans).toEqual([]);
  });

  it('plans a cloud window only when it is newer than its own', () => {
    const message = (dueAt: string) => ({
      v: 1 as const,
      kind: 'maintenance' as const,
      cycleId: `maintenance@${dueAt}`,
      dueAt,
      windowEndsAt: '2026-03-03T00:00:00.000Z',
      receivedAt: '2026-03-02T08:59:00.000Z',
    });
    const done: CompletedCycle = {
      cycleId: 'maintenance@2026-03-01T11:00:00.000Z',
      completedAt: '2026-03-01T11:20:00.000Z',
      trigger: 'schedule',
    };

    const plans = planRuns(
      input({
        cycles: only('maintenance'),
        completed: () => done,
        accepted: [
          message('2026-03-01T11:00:00.000Z'),
          message('2026-03-02T10:00:00.000Z'),
        ],
      }),
    );

    expect(plans.map((p) => [p.cycleId, p.trigger])).toEqual([
      ['maintenance@2026-03-02T10:00:00.000Z', 'schedule'],
    ]);
    expect(plans[0]?.runAt).toBeGreaterThanOrEqual(at('2026-03-02T10:00:00Z'));
  });
});
