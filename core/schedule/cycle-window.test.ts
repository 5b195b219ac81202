import { describe, expect, it } from 'vitest';
import { CYCLES } from '../cycles.js';
import {
  cycleIdOf,
  latestCycleWindow,
  nextCycleWindow,
  parseCycleId,
  plannedRunAt,
  type ScheduledCycle,
} from './cycle-window.js';
import { jitterFraction, jitterMs } from './jitter.js';
import { maintenanceSlot } from './maintenance-window.js';
import { wallTime } from './zoned-time.js';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;
const cycle = (kind: string) => {
  const found = CYCLES.find((c) => c.kind === kind);
  if (!found) throw new Error(`no ${kind} cycle`);
  return found as ScheduledCycle;
};

describe('cycle ids', () => {
  it('names a window by kind and due time in UTC', () => {
    const id = cycleIdOf('maintenance', at('2026-03-02T11:00:00Z'));

    expect(id).toBe('maintenance@2026-03-02T11:00:00.000Z');
    expect(parseCycleId(id)).toEqual({
      kind: 'maintenance',
      dueAt: at('2026-03-02T11:00:00Z'),
    });
  });

  it('rejects an id without a due time', () => {
    expect(() => parseCycleId('maintenance-2026-03-02')).toThrow(
      /<kind>@<ISO UTC time with ms>/,
    );
  });

  it('gives the window the same id from any instant inside it', () => {
    const maintenance = cycle('maintenance');

    const early = latestCycleWindow(
      maintenance,
      at('2026-03-02T11:00:01Z'),
      'Europe/Berlin',
    );
    const late = latestCycleWindow(
      maintenance,
      at('2026-03-03T10:59:59Z'),
      'Europe/Berlin',
    );

    expect(early?.cycleId).toBe('maintenance@2026-03-02T11:00:00.000Z');
    expect(late?.cycleId).toBe(early?.cycleId);
    expect(late?.windowEndsAt).toBe(at('2026-03-03T11:00:00Z'));
  });
});

describe('jitter', () => {
  it('is the same for the same device and window', () => {
    const id = 'maintenance@2026-03-02T11:00:00.000Z';

    expect(jitterFraction('laptop-0042', id)).toBe(
      jitterFraction('laptop-0042', id),
    );
    expect(jitterMs('laptop-0042', id, 0)).toBe(0);
  });

  // Oracle: a uniform hash puts a tenth of 1000 devices in each tenth.
  it('spreads a fleet evenly over the spread', () => {
    const id = 'maintenance@2026-03-02T11:00:00.000Z';
    const buckets = new Array(10).fill(0);

    for (let n = 0; n < 1000; n++) {
      const offset = jitterMs(`laptop-${n}`, id, HOUR);
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThan(HOUR);
      buckets[Math.floor(offset / (HOUR / 10))]++;
    }

    for (const count of buckets) {
      expect(count).toBeGreaterThan(60);
      expect(count).toBeLessThan(140);
    }
  });
});

describe('maintenance windows', () => {
  const overnight = { start: '22:00', end: '02:00' };

  it('opens at the due time when that falls inside the window', () => {
    const slot = maintenanceSlot(
      at('2026-03-02T12:00:00Z'),
      { start: '12:00', end: '14:00' },
      'Europe/Berlin',
    );

    expect(slot).toEqual({
      opensAt: at('2026-03-02T12:00:00Z'),
      closesAt: at('2026-03-02T13:00:00Z'),
    });
  });

  it('waits for the next opening after the window closed', () => {
    const slot = maintenanceSlot(at('2026-03-02T03:00:00Z'), overnight, 'UTC');

    expect(slot).toEqual({
      opensAt: at('2026-03-02T22:00:00Z'),
      closesAt: at('2026-03-03T02:00:00Z'),
    });
  });

  it("uses yesterday's window while it is still open after midnight", () => {
    const slot = maintenanceSlot(at('2026-03-02T01:00:00Z'), overnight, 'UTC');

    expect(slot).toEqual({
      opensAt: at('2026-03-02T01:00:00Z'),
      closesAt: at('2026-03-02T02:00:00Z'),
    });
  });

  it('opens at the first existing time when the opening is skipped', () => {
    const slot = maintenanceSlot(
      at('2026-03-29T00:00:00Z'),
      { start: '02:30', end: '04:00' },
      'Europe/Berlin',
    );

    expect(wallTime(slot.opensAt, 'Europe/Berlin')).toMatchObject({
      hour: 3,
      minute: 0,
    });
    expect(slot.closesAt).toBe(at('2026-03-29T02:00:00Z'));
  });

  it('refuses a window that ends where it starts', () => {
    expect(() =>
      maintenanceSlot(0, { start: '12:00', end: '12:00' }, 'UTC'),
    ).toThrow(/end other than its start/);
    expect(() =>
      maintenanceSlot(0, { start: '12', end: '14:00' }, 'UTC'),
    ).toThrow(/HH:MM/);
  });
});

describe('plannedRunAt', () => {
  const window = { start: '12:00', end: '14:00' };
  const base = {
    thingName: 'laptop-0042',
    timeZone: 'Europe/Berlin',
    spreadMs: 30 * 60_000,
  };

  it("plans a Saturday scan inside the client's window that day", () => {
    const full = cycle('spyware-full');
    const due = latestCycleWindow(
      full,
      at('2026-03-07T12:00:00Z'),
      'Europe/Berlin',
    );
    if (!due) throw new Error('no window');

    const runAt = plannedRunAt(full, due, {
      ...base,
      maintenanceWindow: window,
    });

    expect(new Date(due.dueAt).toISOString()).toBe('2026-03-07T09:00:00.000Z');
    expect(runAt).toBeGreaterThanOrEqual(at('2026-03-07T11:00:00Z'));
    expect(runAt).toBeLessThan(at('2026-03-07T13:00:00Z'));
  });

  it('spreads a cycle outside the maintenance window after its due time', () => {
    const av = cycle('av-definitions');
    const due = latestCycleWindow(av, at('2026-03-07T05:00:00Z'));
    if (!due) throw new Error('no window');

    const runAt = plannedRunAt(av, due, { ...base, maintenanceWindow: window });

    expect(due.dueAt).toBe(at('2026-03-07T04:00:00Z'));
    expect(runAt - due.dueAt).toBe(
      jitterMs('laptop-0042', due.cycleId, 30 * 60_000),
    );
  });

  it('plans at the jittered due time when the client has no window', () => {
    const maintenance = cycle('maintenance');
    const due = latestCycleWindow(maintenance, at('2026-03-07T12:00:00Z'));
    if (!due) throw new Error('no window');

    const runAt = plannedRunAt(maintenance, due, base);

    expect(runAt).toBeGreaterThanOrEqual(due.dueAt);
    expect(runAt).toBeLessThan(due.dueAt + 30 * 60_000);
  });
});

describe('nine days away', () => {
  // Oracle: left Monday 2026-03-02 09:00 CET, back Wednesday 03-11 09:00
  // CET: 54 four-hour windows, 9 noons, 7 weekdays, one Saturday, one
  // Wednesday 11:00; the fortnights fell on 03-02 00:00Z (before leaving)
  // and 03-09 00:00Z. Each kind is named by its one latest window.
  it('names one latest window per kind however many passed', () => {
    const left = at('2026-03-02T08:00:00Z');
    const back = left + 9 * 24 * HOUR;
    const zone = 'Europe/Berlin';

    const missed = CYCLES.map((c) => {
      let count = 0;
      let next = nextCycleWindow(c, left, zone);
      while (next && next.dueAt <= back) {
        count++;
        next = nextCycleWindow(c, next.dueAt, zone);
      }
      return [c.kind, count, latestCycleWindow(c, back, zone)?.cycleId];
    });

    expect(missed).toEqual([
      ['av-definitions', 54, 'av-definitions@2026-03-11T08:00:00.000Z'],
      ['maintenance', 9, 'maintenance@2026-03-10T11:00:00.000Z'],
      ['spyware-quick', 7, 'spyware-quick@2026-03-10T12:00:00.000Z'],
      ['spyware-full', 1, 'spyware-full@2026-03-07T09:00:00.000Z'],
      ['patch-assessment', 1, 'patch-assessment@2026-03-04T10:00:00.000Z'],
      ['disk-space', 0, 'disk-space@2026-03-02T00:00:00.000Z'],
      ['smart', 1, 'smart@2026-03-09T00:00:00.000Z'],
    ]);
  });
});
