import { describe, expect, it } from 'vitest';
import { wallTime } from './zoned-time.js';

/** The reading Intl gives, field by field, as the oracle. */
function intlReading(instant: number, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

describe('wallTime', () => {
  // Oracle: the cached offsets give what Intl gives, second by second
  // around the transitions, including a zone with a 45-minute offset.
  it.each([
    ['Europe/Berlin', '2026-03-29T00:30:00Z'],
    ['Europe/Berlin', '2026-10-25T00:30:00Z'],
    ['America/New_York', '2026-03-08T06:30:00Z'],
    ['Australia/Lord_Howe', '2026-04-04T14:30:00Z'],
    ['Asia/Kathmandu', '2026-06-01T00:00:00Z'],
  ])('reads %s as Intl does around %s', (zone, around) => {
    const from = Date.parse(around);
    for (let s = 0; s < 2 * 3600; s += 7) {
      const instant = from + s * 1000 + 123;
      const { weekday: _weekday, ...fields } = wallTime(instant, zone);
      expect(fields).toEqual(intlReading(instant, zone));
    }
  });

  it('gives the weekday of the wall date', () => {
    // 2026-03-01 is a Sunday in UTC; 23:30 UTC is Monday in Tokyo.
    const instant = Date.parse('2026-03-01T23:30:00Z');

    expect(wallTime(instant, 'UTC').weekday).toBe(0);
    expect(wallTime(instant, 'Asia/Tokyo').weekday).toBe(1);
  });
});
