import { ScheduleError } from './errors.js';

/**
 * Wall-clock time in an IANA zone through Intl.DateTimeFormat (the zone
 * data the runtime ships), with no library. An instant is ms since the
 * epoch; a wall time is the same count read as if the zone were UTC.
 */
export interface WallTime {
  year: number;
  /** 1-12 */
  month: number;
  /** 1-31 */
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday ... 6 = Saturday */
  weekday: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  const cached = formatters.get(timeZone);
  if (cached) return cached;

  let created: Intl.DateTimeFormat;
  try {
    created = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
  } catch {
    throw new ScheduleError(
      'invalid-time-zone',
      `time zone must be an IANA name such as Europe/Berlin, got "${timeZone}"`,
    );
  }
  formatters.set(timeZone, created);
  return created;
}

/** Throws ScheduleError invalid-time-zone unless the zone is known. */
export function assertTimeZone(timeZone: string) {
  if (UTC_NAMES.has(timeZone) || tables.has(timeZone)) return;
  formatter(timeZone);
}

/** The wall-clock reading of `instant` in `timeZone`. */
export function wallTime(instant: number, timeZone: string): WallTime {
  const seconds = Math.floor(instant / 1000) * 1000;
  const date = new Date(seconds + cachedOffset(seconds, timeZone));
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    weekday: date.getUTCDay(),
  };
}

/** The wall-clock reading straight from Intl (slow: ~15 µs a call). */
function intlWallTime(instant: number, timeZone: string): WallTime {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    parts[part.type] = part.value;
  }
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
  };
}

/**
 * Offsets per 15-minute bucket of UTC time. Every offset in use is a whole
 * number of quarter hours and transitions fall on local :00, :15, :30 or
 * :45, so a transition falls on a bucket edge; a bucket whose two edges
 * disagree anyway (historic zone data) is not cached and asked exactly.
 * Scheduling asks for the same few days thousands of times (a fleet
 * simulation plans every device every few minutes), hence the cache.
 */
const BUCKET_MS = 15 * MINUTE_MS;
const OFFSETS_KEPT = 50_000;
const offsets = new Map<string, Map<number, number | null>>();

function intlOffset(instant: number, timeZone: string) {
  return wallMs(intlWallTime(instant, timeZone)) - instant;
}

function cachedOffset(seconds: number, timeZone: string): number {
  if (UTC_NAMES.has(timeZone)) return 0;
  const known = tableOffset(seconds, timeZone);
  if (known !== undefined) return known;

  const bucket = Math.floor(seconds / BUCKET_MS) * BUCKET_MS;
  let zone = offsets.get(timeZone);
  if (!zone) {
    zone = new Map();
    offsets.set(timeZone, zone);
  }
  let offset = zone.get(bucket);
  if (offset === undefined) {
    const first = intlOffset(bucket, timeZone);
    const last = intlOffset(bucket + BUCKET_MS - 1000, timeZone);
    offset = first === last ? first : null;
    if (zone.size >= OFFSETS_KEPT) zone.clear();
    zone.set(bucket, offset);
  }
  return offset ?? intlOffset(seconds, timeZone);
}

/** A wall time as ms, as if the zone were UTC (for arithmetic on dates). */
export function wallMs(wall: Omit<WallTime, 'weekday'>): number {
  return Date.UTC(
    wall.year,
    wall.month - 1,
    wall.day,
    wall.hour,
    wall.minute,
    wall.second,
  );
}

/** The zone's offset from UTC at `instant`, ms (east positive). */
export function offsetAt(instant: number, timeZone: string): number {
  const seconds = Math.floor(instant / 1000) * 1000;
  return wallMs(wallTime(seconds, timeZone)) - seconds;
}

/**
 * The instant a wall time names in a zone. Around a transition a wall time
 * names no instant (the hour skipped in spring: undefined) or two (the hour
 * repeated in autumn: the earlier one, as EventBridge Scheduler runs a cron
 * time there once). Zones change offset at most a few times a year, so the
 * offsets a day before and a day after are the only candidates.
 */
export function instantOf(localMs: number, timeZone: string) {
  const offsets = new Set([
    offsetAt(localMs - DAY_MS, timeZone),
    offsetAt(localMs + DAY_MS, timeZone),
  ]);
  const valid = [...offsets]
    .map((offset) => localMs - offset)
    .filter((instant) => offsetAt(instant, timeZone) === localMs - instant);
  return valid.length > 0 ? Math.min(...valid) : undefined;
}

/**
 * Names of UTC itself: no offset ever, so no Intl either. Reading time
 * zone data through Intl maps several MB of ICU data into the process,
 * which a long-running agent keeps for its whole life.
 */
const UTC_NAMES: ReadonlySet<string> = new Set([
  'UTC',
  'Etc/UTC',
  'GMT',
  'Etc/GMT',
]);

/**
 * A zone's offsets over a span of time, worked out beforehand (by
 * zoneOffsetTable, in another process): `changes` are the instants the
 * offset changes at, oldest first; before the first change it is
 * `offsetMs`.
 */
export interface ZoneOffsetTable {
  timeZone: string;
  fromMs: number;
  toMs: number;
  offsetMs: number;
  changes: { atMs: number; offsetMs: number }[];
}

const tables = new Map<string, ZoneOffsetTable>();

/** True for the names of UTC, whose offset is always zero. */
export function isUtcZone(timeZone: string) {
  return UTC_NAMES.has(timeZone);
}

/**
 * Answers the zone's offsets from `table` inside its span, without Intl;
 * outside the span Intl still answers. A newer table replaces the last.
 */
export function useZoneOffsetTable(table: ZoneOffsetTable) {
  tables.set(table.timeZone, table);
  offsets.delete(table.timeZone);
}

/** The table in use for a zone, if any (to see whether it still covers). */
export function zoneOffsetTableOf(timeZone: string) {
  return tables.get(timeZone);
}

function tableOffset(instant: number, timeZone: string) {
  const table = tables.get(timeZone);
  if (!table || instant < table.fromMs || instant >= table.toMs) {
    return undefined;
  }
  let offset = table.offsetMs;
  for (const change of table.changes) {
    if (change.atMs > instant) break;
    offset = change.offsetMs;
  }
  return offset;
}

/**
 * The offsets of a zone from `fromMs` to `toMs`, read from Intl: an hourly
 * scan, each change narrowed down to the second. Offsets change at most a
 * few times a year and never twice within an hour.
 */
export function zoneOffsetTable(
  timeZone: string,
  fromMs: number,
  toMs: number,
): ZoneOffsetTable {
  const HOUR_MS = 60 * MINUTE_MS;
  const start = Math.floor(fromMs / 1000) * 1000;
  const offsetMs = intlOffset(start, timeZone);
  const changes: ZoneOffsetTable['changes'] = [];
  let before = offsetMs;
  for (let at = start + HOUR_MS; at < toMs + HOUR_MS; at += HOUR_MS) {
    const after = intlOffset(at, timeZone);
    if (after === before) continue;

    let low = at - HOUR_MS;
    let high = at;
    while (high - low > 1000) {
      const middle = low + Math.floor((high - low) / 2000) * 1000;
      if (intlOffset(middle, timeZone) === before) low = middle;
      else high = middle;
    }
    changes.push({ atMs: high, offsetMs: after });
    before = after;
  }
  return { timeZone, fromMs: start, toMs, offsetMs, changes };
}

export const timeUnits = { MINUTE_MS, DAY_MS } as const;
