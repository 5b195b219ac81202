import { ScheduleError } from './errors.js';
import { instantOf, timeUnits, wallTime } from './zoned-time.js';

/**
 * A client's daily maintenance window in its own time zone, `HH:MM` to
 * `HH:MM`. An end at or before the start runs past midnight (22:00-02:00).
 */
export interface MaintenanceWindow {
  start: string;
  end: string;
}

export interface Slot {
  opensAt: number;
  closesAt: number;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of an `HH:MM`; ScheduleError when malformed. */
export function minutesOfDay(text: string): number {
  const match = HH_MM.exec(text);
  if (!match) {
    throw new ScheduleError(
      'invalid-maintenance-window',
      `maintenance window times are HH:MM (00:00-23:59), got "${text}"`,
    );
  }
  return Number(match[1]) * 60 + Number(match[2]);
}

export function assertMaintenanceWindow(window: MaintenanceWindow) {
  const start = minutesOfDay(window.start);
  if (start === minutesOfDay(window.end)) {
    throw new ScheduleError(
      'invalid-maintenance-window',
      `a maintenance window needs an end other than its start, got ${window.start}-${window.end}`,
    );
  }
}

/**
 * The part of the first window occurrence, in `timeZone`, that is open at or
 * after `from`: [max(from, opening), closing). A window that opens in a DST
 * gap opens at the first wall time that exists after it.
 */
export function maintenanceSlot(
  from: number,
  window: MaintenanceWindow,
  timeZone: string,
): Slot {
  assertMaintenanceWindow(window);
  const start = minutesOfDay(window.start);
  const end = minutesOfDay(window.end);
  const today = wallTime(from, timeZone);

  // Yesterday's window may still be open after midnight.
  for (let day = -1; day <= 1; day++) {
    const dayMs = Date.UTC(today.year, today.month - 1, today.day + day);
    const opensAt = existingInstant(dayMs + start * 60_000, timeZone);
    const endDay = end > start ? dayMs : dayMs + timeUnits.DAY_MS;
    const closesAt = existingInstant(endDay + end * 60_000, timeZone);
    if (closesAt > from) {
      return { opensAt: Math.max(opensAt, from), closesAt };
    }
  }
  throw new Error('unreachable: a daily window closes within two days');
}

function existingInstant(localMs: number, timeZone: string) {
  for (let shift = 0; shift <= 180; shift += 15) {
    const instant = instantOf(localMs + shift * 60_000, timeZone);
    if (instant !== undefined) return instant;
  }
  throw new Error('unreachable: no zone skips more than three hours');
}
