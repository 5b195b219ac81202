import type { ScanType } from './types.js';

/** Weekend days by their short English name, as Intl writes them. */
const WEEKEND = new Set(['Sat', 'Sun']);

/** The scan each spyware cycle asks for, by the kind in its cycle id. */
const SCAN_OF_CYCLE: Record<string, ScanType> = {
  'spyware-quick': 'quick',
  'spyware-full': 'full',
};

/**
 * The scan type: the one the cycle asks for when a spyware cycle started
 * the run, so that a full scan caught up on a Monday is still full;
 * otherwise (on demand, a job) by the day in the client's time zone, quick
 * on weekdays and full at weekends. An unknown zone falls back to UTC
 * rather than failing the scan; the caller reports the zone it used.
 */
export function scanTypeFor(
  now: Date,
  timeZone: string,
  cycleId?: string,
): { scanType: ScanType; weekday: string; timeZone: string } {
  const zone = validZone(timeZone) ? timeZone : 'UTC';
  const weekday = new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    timeZone: zone,
  }).format(now);
  const byCycle = SCAN_OF_CYCLE[cycleId?.split('@')[0] ?? ''];
  return {
    scanType: byCycle ?? (WEEKEND.has(weekday) ? 'full' : 'quick'),
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
