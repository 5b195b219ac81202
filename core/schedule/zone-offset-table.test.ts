import { describe, expect, it } from 'vitest';
import {
  offsetAt,
  useZoneOffsetTable,
  wallTime,
  zoneOffsetTable,
} from './zoned-time.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('zoneOffsetTable', () => {
  it('finds the two 2026 changes of Europe/Berlin to the second', () => {
    const from = Date.UTC(2026, 0, 1);
    const table = zoneOffsetTable('Europe/Berlin', from, from + 365 * DAY);

    expect(table.offsetMs).toBe(HOUR);
    expect(table.changes).toEqual([
      { atMs: Date.UTC(2026, 2, 29, 1), offsetMs: 2 * HOUR },
      { atMs: Date.UTC(2026, 9, 25, 1), offsetMs: HOUR },
    ]);
  });

  it('finds a half-hour change (Australia/Lord_Howe)', () => {
    const from = Date.UTC(2026, 0, 1);
    const table = zoneOffsetTable(
      'Australia/Lord_Howe',
      from,
      from + 200 * DAY,
    );

    expect(table.offsetMs).toBe(11 * HOUR);
    expect(table.changes).toEqual([
      { atMs: Date.UTC(2026, 3, 4, 15), offsetMs: 10.5 * HOUR },
    ]);
  });
});

describe('useZoneOffsetTable', () => {
  it('answers inside its span as Intl does, and outside through Intl', () => {
    const zone = 'America/New_York';
    const from = Date.UTC(2027, 0, 1);
    const to = from + 365 * DAY;
    const table = zoneOffsetTable(zone, from, to);
    const samples = [-40, 0, 70, 71, 72, 200, 308, 309, 364, 400].map(
      (d) => from + d * DAY + 7 * HOUR + 30_000,
    );
    const byIntl = samples.map((t) => wallTime(t, zone));

    useZoneOffsetTable(table);

    expect(samples.map((t) => wallTime(t, zone))).toEqual(byIntl);
    expect(offsetAt(Date.UTC(2027, 6, 1), zone)).toBe(-4 * HOUR);
  });

  it('reads UTC as offset zero', () => {
    expect(wallTime(Date.UTC(2026, 5, 7, 23, 59, 58), 'Etc/UTC')).toEqual({
      year: 2026,
      month: 6,
      day: 7,
      hour: 23,
      minute: 59,
      second: 58,
      weekday: 0,
    });
  });
});
