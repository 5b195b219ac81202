import { describe, expect, it } from 'vitest';
import { CYCLES } from '../cycles.js';
import { ScheduleError } from './errors.js';
import { parseScheduleExpression } from './expression.js';

describe('parseScheduleExpression', () => {
  it('reads a rate in days as whole 24-hour periods', () => {
    expect(parseScheduleExpression('rate(14 days)')).toEqual({
      type: 'rate',
      value: 14,
      unit: 'days',
      periodMs: 14 * 86_400_000,
    });
  });

  it('reads a singular unit', () => {
    expect(parseScheduleExpression('rate(1 minute)')).toMatchObject({
      unit: 'minutes',
      periodMs: 60_000,
    });
  });

  it('reads weekday names as Sunday-zero weekdays', () => {
    const cron = parseScheduleExpression('cron(0 13 ? * MON-FRI *)');

    expect(cron).toEqual({
      type: 'cron',
      minutes: [0],
      hours: [13],
      daysOfMonth: 'any',
      months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
      daysOfWeek: [1, 2, 3, 4, 5],
      years: 'any',
    });
  });

  it('reads lists, ranges, steps and month names', () => {
    const cron = parseScheduleExpression('cron(0/20 8-10,14 1,15 JAN-MAR ? *)');

    expect(cron).toMatchObject({
      minutes: [0, 20, 40],
      hours: [8, 9, 10, 14],
      daysOfMonth: [1, 15],
      months: [1, 2, 3],
      daysOfWeek: 'any',
    });
  });

  it('reads Scheduler weekday numbers with 1 as Sunday', () => {
    const cron = parseScheduleExpression('cron(0 10 ? * 1,7 2026-2027)');

    expect(cron).toMatchObject({ daysOfWeek: [0, 6], years: [2026, 2027] });
  });

  it.each([
    ['both day fields set', 'cron(0 12 1 * MON *)', /must be \?/],
    ['neither day field ?', 'cron(0 12 * * * *)', /must be \?/],
    ['both day fields ?', 'cron(0 12 ? * ? *)', /must be \?/],
    ['five fields', 'cron(0 12 * * ?)', /6 fields, got 5/],
    ['an hour past 23', 'cron(0 24 * * ? *)', /hours must be 0-23/],
    ['a backwards range', 'cron(0 12 ? * FRI-MON *)', /backwards/],
    ['a zero rate', 'rate(0 hours)', /positive whole number/],
    ['a rate in weeks', 'rate(2 weeks)', /positive whole number/],
    ['an at() expression', 'at(2026-03-02T12:00:00)', /rate\(\.\.\.\)/],
  ])('rejects %s', (_name, text, message) => {
    expect(() => parseScheduleExpression(text)).toThrow(message);
  });

  it('refuses L, W and # rather than misread them', () => {
    const thrown = (() => {
      try {
        parseScheduleExpression('cron(0 12 L * ? *)');
      } catch (error) {
        return error;
      }
    })();

    expect(thrown).toBeInstanceOf(ScheduleError);
    expect(thrown).toMatchObject({ code: 'unsupported-expression' });
  });

  it('parses every schedule of the cycle table', () => {
    const types = CYCLES.map((c) => parseScheduleExpression(c.schedule).type);

    expect(types).toEqual([
      'rate',
      'cron',
      'cron',
      'cron',
      'cron',
      'rate',
      'rate',
    ]);
  });
});
