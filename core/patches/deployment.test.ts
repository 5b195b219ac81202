import { describe, expect, it } from 'vitest';
import { deploymentGroups, waveOf } from './deployment.js';

// 2026-03-18 01:30 UTC = 02:30 in Paris, 21:30 the day before in New York.
const now = Date.parse('2026-03-18T01:30:00Z');
const night = { start: '02:00', end: '05:00' };
const base = { platform: 'win32', updates: ['KB1', 'KB2'] };

describe('deploymentGroups', () => {
  it('groups devices of a ring whose window is open, by zone and updates', () => {
    const groups = deploymentGroups(
      [
        {
          ...base,
          thingName: 'a',
          ring: 'pilot',
          timeZone: 'Europe/Paris',
          window: night,
        },
        {
          ...base,
          thingName: 'b',
          ring: 'pilot',
          timeZone: 'Europe/Paris',
          window: night,
          updates: ['KB2', 'KB1'],
        },
        {
          ...base,
          thingName: 'c',
          ring: 'pilot',
          timeZone: 'Europe/Paris',
          window: night,
          updates: ['KB1'],
        },
        {
          ...base,
          thingName: 'd',
          ring: 'pilot',
          timeZone: 'America/New_York',
          window: night,
        },
        {
          ...base,
          thingName: 'e',
          ring: 'broad',
          timeZone: 'Europe/Paris',
          window: night,
        },
      ],
      'pilot',
      now,
    );
    expect(groups.map((g) => [g.thingNames, g.updates])).toEqual([
      [
        ['a', 'b'],
        ['KB1', 'KB2'],
      ],
      [['c'], ['KB1']],
    ]);
    expect(new Date(groups[0]?.windowEndsAtMs ?? 0).toISOString()).toBe(
      '2026-03-18T04:00:00.000Z',
    );
  });

  it('sends at once, outside any window, to a device without one', () => {
    const [group] = deploymentGroups(
      [{ ...base, thingName: 'f', ring: 'broad', timeZone: 'UTC' }],
      'broad',
      now,
    );
    expect(group?.windowEndsAtMs).toBe(now);
  });
});

describe('waveOf', () => {
  it('names the UTC month', () => {
    expect(waveOf(Date.parse('2026-03-18T01:30:00Z'))).toBe('2026-03');
    expect(waveOf(Date.parse('2026-12-31T23:59:59Z'))).toBe('2026-12');
  });
});
