import type { CronExpression, ScheduleExpression } from './expression.js';
import { instantOf, timeUnits, wallMs, wallTime } from './zoned-time.js';

/**
 * Due times of a schedule expression: the latest at or before `now` and the
 * first after it. Cron fields are read as wall-clock time in `timeZone`,
 * following EventBridge Scheduler across DST: a time the clocks skip in
 * spring does not run that day; a time repeated in autumn runs once, at its
 * first occurrence. A rate runs every periodMs from `startMs` (a rate day is
 * 24 h, so a 14-day rate moves an hour on the wall clock across DST, as in
 * Scheduler).
 */
export interface DueTimeOptions {
  /** IANA zone for cron fields. @default 'UTC' */
  timeZone?: string;
  /** First occurrence of a rate, ms. Required for rate expressions. */
  startMs?: number;
}

/** How far a cron search looks before giving up, days (8 years). */
const SEARCH_DAYS = 8 * 366;

export function latestDueAt(
  expression: ScheduleExpression,
  now: number,
  options: DueTimeOptions = {},
): number | undefined {
  if (expression.type === 'rate') {
    const start = rateStart(options);
    if (now < start) return undefined;
    const periods = Math.floor((now - start) / expression.periodMs);
    return start + periods * expression.periodMs;
  }
  return searchCron(expression, now, options.timeZone ?? 'UTC', -1);
}

export function nextDueAt(
  expression: ScheduleExpression,
  now: number,
  options: DueTimeOptions = {},
): number | undefined {
  if (expression.type === 'rate') {
    const start = rateStart(options);
    if (now < start) return start;
    const periods = Math.floor((now - start) / expression.periodMs) + 1;
    return start + periods * expression.periodMs;
  }
  return searchCron(expression, now, options.timeZone ?? 'UTC', 1);
}

function rateStart(options: DueTimeOptions) {
  if (options.startMs === undefined || !Number.isFinite(options.startMs)) {
    throw new RangeError('a rate expression needs startMs (its start date)');
  }
  return options.startMs;
}

/**
 * Walks local calendar days from the day of `now`, backwards (-1) or
 * forwards (1), and returns the first matching instant on the right side
 * of `now`.
 */
function searchCron(
  cron: CronExpression,
  now: number,
  timeZone: string,
  direction: -1 | 1,
) {
  const today = wallTime(now, timeZone);
  for (let i = 0; i <= SEARCH_DAYS; i++) {
    const dayMs = Date.UTC(
      today.year,
      today.month - 1,
      today.day + i * direction,
    );
    if (!dayMatches(cron, dayMs)) continue;

    const found = timeOnDay(cron, dayMs, now, timeZone, direction);
    if (found !== undefined) return found;
  }
  return undefined;
}

function dayMatches(cron: CronExpression, dayMs: number) {
  const date = new Date(dayMs);
  const { daysOfMonth, daysOfWeek, years } = cron;
  return (
    cron.months.includes(date.getUTCMonth() + 1) &&
    (years === 'any' || years.includes(date.getUTCFullYear())) &&
    (daysOfMonth === 'any' || daysOfMonth.includes(date.getUTCDate())) &&
    (daysOfWeek === 'any' || daysOfWeek.includes(date.getUTCDay()))
  );
}

function timeOnDay(
  cron: CronExpression,
  dayMs: number,
  now: number,
  timeZone: string,
  direction: -1 | 1,
) {
  const times = cron.hours.flatMap((h) =>
    cron.minutes.map((m) => dayMs + h * 3_600_000 + m * timeUnits.MINUTE_MS),
  );
  if (direction < 0) times.reverse();

  for (const localMs of times) {
    const instant = instantOf(localMs, timeZone);
    if (instant === undefined) continue;
    if (direction < 0 ? instant <= now : instant > now) return instant;
  }
  return undefined;
}

/** The local calendar day (as wall ms at 00:00) of an instant. */
export function localDayMs(instant: number, timeZone: string) {
  const wall = wallTime(instant, timeZone);
  return wallMs({ ...wall, hour: 0, minute: 0, second: 0 });
}
