import { describe, expect, it } from 'vitest';
import { latestDueAt, nextDueAt } from './due-times.js';
import { parseScheduleExpression } from './expression.js';
import { wallTime } from './zoned-time.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) =>
  ms === undefined ? undefined : new Date(ms).toISOString();
const cron = (text: string) => parseScheduleExpression(text);

describe('cron due times in a time zone', () => {
  const daily0230 = cron('cron(30 2 * * ? *)');
  const berlin = { timeZone: 'Europe/Berlin' };

  // Oracle: Berlin moves from 02:00 CET to 03:00 CEST on 2026-03-29 and
  // back from 03:00 CEST to 02:00 CET on 2026-10-25; Scheduler skips a cron
  // time in the gap and runs one in the repeated hour once.
  it('skips a time the clocks jump over in spring', () => {
    const now = at('2026-03-29T12:00:00Z');

    expect(iso(latestDueAt(daily0230, now, berlin))).toBe(
      '2026-03-28T01:30:00.000Z',
    );
    expect(iso(nextDueAt(daily0230, at('2026-03-28T02:00:00Z'), berlin))).toBe(
      '2026-03-30T00:30:00.000Z',
    );
  });

  it('runs a repeated autumn time once, at its first occurrence', () => {
    const between = at('2026-10-25T01:45:00Z');

    expect(iso(latestDueAt(daily0230, between, berlin))).toBe(
      '2026-10-25T00:30:00.000Z',
    );
    expect(iso(nextDueAt(daily0230, at('2026-10-25T00:30:00Z'), berlin))).toBe(
      '2026-10-26T01:30:00.000Z',
    );
  });

  it('keeps noon at noon local across a DST change', () => {
    const noon = cron('cron(0 12 * * ? *)');
    const zone = { timeZone: 'America/New_York' };

    const winter = latestDueAt(noon, at('2026-03-07T20:00:00Z'), zone);
    const summer = latestDueAt(noon, at('2026-03-09T20:00:00Z'), zone);

    expect(iso(winter)).toBe('2026-03-07T17:00:00.000Z');
    expect(iso(summer)).toBe('2026-03-09T16:00:00.000Z');
  });

  // Oracle: Auckland is UTC+13 in January; its Monday 09:00 is Sunday
  // 20:00 UTC and its Saturday 10:00 is Friday 21:00 UTC.
  it('takes weekdays from the local date where the UTC date differs', () => {
    const weekdays = cron('cron(0 9 ? * MON-FRI *)');
    const saturday = cron('cron(0 10 ? * SAT *)');
    const zone = { timeZone: 'Pacific/Auckland' };

    const monday = latestDueAt(weekdays, at('2026-01-11T20:30:00Z'), zone);
    const sat = latestDueAt(saturday, at('2026-01-10T00:00:00Z'), zone);

    expect(iso(monday)).toBe('2026-01-11T20:00:00.000Z');
    expect(new Date(monday ?? 0).getUTCDay()).toBe(0);
    expect(iso(sat)).toBe('2026-01-09T21:00:00.000Z');
    expect(new Date(sat ?? 0).getUTCDay()).toBe(5);
  });

  it('finds the previous weekday run over a weekend', () => {
    const weekdays = cron('cron(0 13 ? * MON-FRI *)');

    const latest = latestDueAt(weekdays, at('2026-01-11T23:00:00Z'));

    expect(iso(latest)).toBe('2026-01-09T13:00:00.000Z');
  });

  it('finds nothing for a year list already past', () => {
    const once = cron('cron(0 12 1 JAN ? 2020)');

    expect(latestDueAt(once, at('2019-06-01T00:00:00Z'))).toBeUndefined();
    expect(nextDueAt(once, at('2026-06-01T00:00:00Z'))).toBeUndefined();
    expect(iso(latestDueAt(once, at('2026-06-01T00:00:00Z')))).toBe(
      '2020-01-01T12:00:00.000Z',
    );
  });
});

describe('rate due times from a start date', () => {
  const fortnight = parseScheduleExpression('rate(14 days)');
  const startMs = at('2026-01-05T00:00:00Z');

  it('counts whole periods from the start date', () => {
    const now = at('2026-02-01T12:00:00Z');

    expect(iso(latestDueAt(fortnight, now, { startMs }))).toBe(
      '2026-01-19T00:00:00.000Z',
    );
    expect(iso(nextDueAt(fortnight, now, { startMs }))).toBe(
      '2026-02-02T00:00:00.000Z',
    );
  });

  it('is due exactly at a period boundary', () => {
    const boundary = at('2026-01-19T00:00:00Z');

    expect(latestDueAt(fortnight, boundary, { startMs })).toBe(boundary);
  });

  it('has no window before its start date, and starts there', () => {
    const before = at('2026-01-01T00:00:00Z');

    expect(latestDueAt(fortnight, before, { startMs })).toBeUndefined();
    expect(nextDueAt(fortnight, before, { startMs })).toBe(startMs);
  });

  it('moves an hour on the wall clock across DST, as 24-hour days do', () => {
    const daily = parseScheduleExpression('rate(1 day)');
    const start = at('2026-03-27T11:00:00Z');

    const before = latestDueAt(daily, at('2026-03-28T12:00:00Z'), {
      startMs: start,
    });
    const after = latestDueAt(daily, at('2026-03-30T12:00:00Z'), {
      startMs: start,
    });

    expect(wallTime(before ?? 0, 'Europe/Berlin').hour).toBe(12);
    expect(wallTime(after ?? 0, 'Europe/Berlin').hour).toBe(13);
  });

  it('refuses a rate without a start date', () => {
    expect(() => latestDueAt(fortnight, startMs)).toThrow(/startMs/);
  });
});
