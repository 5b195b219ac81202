import type { ScanType } from './types.js';

/** Weekend days by their short English name, as Intl writes them. */
const WEEKEND = new Set(['Sat', 'Sun']);

/**
 * The scan type for a moment in the client's time zone: quick on
 * weekdays, full at weekends. An unknown zone falls back to UTC rather
 * than failing the scan; the caller reports the zone it used.
 */
export function scanTypeFor(
  now: Date,
  timeZone: string,
): { scanType: ScanType; weekday: string; timeZone: string } {
  const zone = validZone(timeZone) ? timeZone : 'UTC';
  const weekday = new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    timeZone: zone,
  }).format(now);
  return {
    scanType: WEEKEND.has(weekday) ? 'full' : 'quick',
    weekday,
    timeZone: zone,
  };
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
