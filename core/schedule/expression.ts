import { ScheduleError } from './errors.js';

/**
 * EventBridge Scheduler expressions (the forms core/cycles.ts uses):
 *
 *   rate(value unit)        unit: minute(s) | hour(s) | day(s)
 *   cron(min hour dom month dow year)
 *
 * Cron fields take `*`, single values, ranges `a-b`, steps `a/n`, `*\/n`,
 * `a-b/n` and lists `a,b`; month and weekday also take names (JAN, MON).
 * Weekdays count from 1 = SUN as Scheduler does. One of day-of-month and
 * day-of-week must be `?`. `L`, `W` and `#` are Scheduler syntax this parser
 * does not implement: they fail with unsupported-expression instead of
 * being misread.
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */
export interface RateExpression {
  type: 'rate';
  value: number;
  unit: 'minutes' | 'hours' | 'days';
  /** value x unit; a Scheduler day is 24 h, also across DST. */
  periodMs: number;
}

export interface CronExpression {
  type: 'cron';
  minutes: readonly number[];
  hours: readonly number[];
  /** Days 1-31, or 'any' for `?`/`*`. */
  daysOfMonth: readonly number[] | 'any';
  months: readonly number[];
  /** 0 = Sunday ... 6 = Saturday, or 'any' for `?`/`*`. */
  daysOfWeek: readonly number[] | 'any';
  years: readonly number[] | 'any';
}

export type ScheduleExpression = RateExpression | CronExpression;

const UNIT_MS = {
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
} as const;

const MONTHS = 'JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC'.split(' ');
const WEEKDAYS = 'SUN MON TUE WED THU FRI SAT'.split(' ');

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** `?` is allowed (day-of-month and day-of-week only). */
  any?: boolean;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, any: true },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS, any: true },
  { name: 'year', min: 1970, max: 2199 },
];

export function parseScheduleExpression(text: string): ScheduleExpression {
  const match = /^(rate|cron)\((.*)\)$/.exec(text.trim());
  if (!match) {
    throw invalid(text, 'expected rate(...) or cron(...)');
  }
  const body = (match[2] ?? '').trim();
  return match[1] === 'rate' ? parseRate(text, body) : parseCron(text, body);
}

function parseRate(text: string, body: string): RateExpression {
  const match = /^(\d+)\s+(minute|hour|day)s?$/.exec(body);
  const value = Number(match?.[1]);
  if (!match || !Number.isSafeInteger(value) || value < 1) {
    throw invalid(text, 'rate needs a positive whole number and a unit');
  }
  const unit = `${match[2]}s` as RateExpression['unit'];
  return { type: 'rate', value, unit, periodMs: value * UNIT_MS[unit] };
}

function parseCron(text: string, body: string): CronExpression {
  const fields = body.split(/\s+/);
  if (fields.length !== 6) {
    throw invalid(text, `cron needs 6 fields, got ${fields.length}`);
  }
  if (/[LW#]/i.test(body.replace(/[A-Z]{3}/gi, ''))) {
    throw new ScheduleError(
      'unsupported-expression',
      `L, W and # are not supported, got "${text}"`,
    );
  }
  const [minutes, hours, dom, month, dow, year] = fields.map((f, i) =>
    parseField(text, f, FIELDS[i] as FieldSpec),
  );
  if ((dom === '?') === (dow === '?')) {
    throw invalid(text, 'one of day-of-month and day-of-week must be ?');
  }

  return {
    type: 'cron',
    minutes: minutes as number[],
    hours: hours as number[],
    daysOfMonth: anyOr(dom),
    months: month === 'any' ? range(1, 12) : (month as number[]),
    daysOfWeek: dow === '?' || dow === 'any' ? 'any' : toWeekdays(dow),
    years: anyOr(year),
  };
}

type Field = number[] | 'any' | '?';

function anyOr(field: Field | undefined): number[] | 'any' {
  return field === '?' || field === 'any' || !field ? 'any' : field;
}

/** Scheduler weekdays 1-7 (SUN = 1) as JavaScript's 0-6 (SUN = 0). */
function toWeekdays(field: Field | undefined) {
  return (field as number[]).map((d) => d - 1);
}

function parseField(text: string, field: string, spec: FieldSpec): Field {
  if (field === '?') {
    if (!spec.any) throw invalid(text, `? is not allowed in ${spec.name}`);
    return '?';
  }
  if (field === '*') {
    return spec.any || spec.name === 'year' ? 'any' : range(spec.min, spec.max);
  }

  const values = new Set<number>();
  for (const part of field.split(',')) {
    for (const value of parsePart(text, part, spec)) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

function parsePart(text: string, part: string, spec: FieldSpec) {
  const [span = '', stepText] = part.split('/');
  const step = stepText === undefined ? 1 : Number(stepText);
  if (!Number.isInteger(step) || step < 1) {
    throw invalid(text, `bad step in ${spec.name}: "${part}"`);
  }

  let [from, to] = [spec.min, spec.max];
  if (span !== '*') {
    const [a = '', b] = span.split('-');
    from = value(text, a, spec);
    to = b === undefined ? (stepText ? spec.max : from) : value(text, b, spec);
  }
  if (from > to) {
    throw invalid(text, `range runs backwards in ${spec.name}: "${part}"`);
  }
  return range(from, to).filter((v) => (v - from) % step === 0);
}

function value(text: string, token: string, spec: FieldSpec) {
  const named = spec.names?.indexOf(token.toUpperCase()) ?? -1;
  const parsed = named >= 0 ? named + 1 : Number(token);
  const ok = /^\d+$/.test(token) || named >= 0;
  if (!ok || parsed < spec.min || parsed > spec.max) {
    throw invalid(
      text,
      `${spec.name} must be ${spec.min}-${spec.max}, got "${token}"`,
    );
  }
  return parsed;
}

function range(from: number, to: number) {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function invalid(text: string, why: string) {
  return new ScheduleError(
    'invalid-expression',
    `${why}: "${text}" is not a Scheduler expression`,
  );
}
