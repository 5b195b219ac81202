/**
 * Dates as Windows tools print them: CIM_DATETIME from wmic
 * (`20221004035225.000000+000`), `/Date(ms)/` from Windows PowerShell's
 * ConvertTo-Json, ISO 8601, US `M/D/YYYY h:mm:ss AM`, and dotted
 * `D.M.YYYY H:mm:ss` from European locales. A year before 1980 (the FILETIME
 * epoch of 1601 shows up as `01.01.1601`) means never. Times without a zone
 * are read as UTC: ages are judged in whole days.
 */
export type WmiDate = Date | 'never';

const NEVER_BEFORE_YEAR = 1980;

export function parseWmiDate(text: string | undefined): WmiDate | undefined {
  const t = (text ?? '').trim();
  if (t === '') return undefined;

  const date =
    cimDate(t) ?? jsonDate(t) ?? usDate(t) ?? dottedDate(t) ?? isoDate(t);
  if (!date) return undefined;
  return date.getUTCFullYear() < NEVER_BEFORE_YEAR ? 'never' : date;
}

/** Whole days from `then` to `now`, never negative. */
export function daysBetween(then: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - then.getTime()) / 86_400_000));
}

function cimDate(t: string): Date | undefined {
  const m =
    /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\.\d+([+-]\d{3})?$/.exec(t);
  if (!m) return undefined;

  const [, y, mo, d, h, mi, s, offset] = m;
  const utc = Date.UTC(
    +(y ?? 0),
    +(mo ?? 1) - 1,
    +(d ?? 1),
    +(h ?? 0),
    +(mi ?? 0),
    +(s ?? 0),
  );
  // The suffix is the offset from UTC in minutes.
  return new Date(utc - Number(offset ?? 0) * 60_000);
}

function jsonDate(t: string): Date | undefined {
  const m = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(t);
  return m ? new Date(Number(m[1])) : undefined;
}

const TIME = String.raw`(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?`;

function usDate(t: string): Date | undefined {
  const m = new RegExp(
    String.raw`^(\d{1,2})/(\d{1,2})/(\d{4})${TIME}$`,
    'i',
  ).exec(t);
  if (!m) return undefined;
  return utcDate(+(m[3] ?? 0), +(m[1] ?? 1), +(m[2] ?? 1), m.slice(4));
}

function dottedDate(t: string): Date | undefined {
  const m = new RegExp(
    String.raw`^(\d{1,2})\.(\d{1,2})\.(\d{4})${TIME}$`,
    'i',
  ).exec(t);
  if (!m) return undefined;
  return utcDate(+(m[3] ?? 0), +(m[2] ?? 1), +(m[1] ?? 1), m.slice(4));
}

function isoDate(t: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}/.test(t) && !/^[A-Z][a-z]{2}, \d{1,2} /.test(t)) {
    return undefined;
  }
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

function utcDate(
  year: number,
  month: number,
  day: number,
  time: (string | undefined)[],
): Date | undefined {
  const [h, mi, s, ampm] = time;
  let hour = Number(h ?? 0);
  if (ampm?.toUpperCase() === 'PM' && hour < 12) hour += 12;
  if (ampm?.toUpperCase() === 'AM' && hour === 12) hour = 0;

  const date = new Date(
    Date.UTC(year, month - 1, day, hour, Number(mi ?? 0), Number(s ?? 0)),
  );
  return date.getUTCMonth() === month - 1 ? date : undefined;
}
