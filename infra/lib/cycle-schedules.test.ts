import { describe, expect, it } from 'vitest';
import { CYCLES } from '../../core/cycles.js';
import { scheduleSpecs } from './cycle-schedules.js';
import { readSettings } from './settings.js';

describe('scheduleSpecs', () => {
  const specs = scheduleSpecs(['UTC', 'Europe/Paris']);
  const byName = new Map(specs.map((s) => [s.name, s]));

  it('gives a rate kind one schedule with its start date', () => {
    const av = byName.get('cycle-av-definitions');

    expect(av).toMatchObject({
      expression: 'rate(4 hours)',
      timeZone: 'UTC',
      startDate: '2026-01-05T00:00:00.000Z',
      target: 'cycles',
    });
    expect(JSON.parse(av?.input ?? '')).toEqual({
      kind: 'av-definitions',
      scheduledTime: '<aws.scheduler.scheduled-time>',
    });
  });

  it('gives a cron kind a schedule per zone, read in that zone', () => {
    const paris = byName.get('cycle-maintenance-Europe-Paris');

    expect(paris).toMatchObject({
      expression: 'cron(0 12 * * ? *)',
      timeZone: 'Europe/Paris',
    });
    expect(JSON.parse(paris?.input ?? '')).toEqual({
      kind: 'maintenance',
      timeZone: 'Europe/Paris',
      scheduledTime: '<aws.scheduler.scheduled-time>',
    });
    expect(byName.has('cycle-maintenance-UTC')).toBe(true);
  });

  it('schedules every kind, the sweep and the reconciliation, with valid names', () => {
    // 3 rate kinds once, 4 cron kinds twice, sweep and reconcile.
    expect(specs).toHaveLength(3 + 4 * 2 + 2);
    for (const cycle of CYCLES) {
      expect(specs.some((s) => s.input.includes(`"${cycle.kind}"`))).toBe(true);
    }
    for (const spec of specs) {
      expect(spec.name).toMatch(/^[0-9a-zA-Z_.-]{1,64}$/);
    }
    expect(byName.get('sweep')?.target).toBe('sweep');
    expect(byName.get('policy-reconcile')?.input).toBe(
      '{"action":"reconcile"}',
    );
  });
});

describe('upkeep:cycleTimeZones', () => {
  it('takes a comma-separated list and drops repeats', () => {
    const settings = readSettings({
      'upkeep:cycleTimeZones': 'UTC, Europe/Paris,UTC',
    });

    expect(settings.cycleTimeZones).toEqual(['UTC', 'Europe/Paris']);
  });

  it('refuses a zone that is not an IANA name', () => {
    expect(() =>
      readSettings({ 'upkeep:cycleTimeZones': 'UTC,Mars/Olympus' }),
    ).toThrow(/upkeep:cycleTimeZones: must be 1-20 IANA time zones.*Mars/);
  });
});
