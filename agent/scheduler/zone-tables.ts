import {
  isUtcZone,
  useZoneOffsetTable,
  type ZoneOffsetTable,
  zoneOffsetTableOf,
} from '../../core/index.js';
import {
  callHelper,
  type HelperCommand,
  helperDefaults,
} from '../helper-process.js';
import type { CommandRunner } from '../platform/command.js';
import type { ZoneTablesPort } from './types.js';

const DAY_MS = 86_400_000;

/**
 * The span a zone table covers around now. Planning looks back at most
 * one cycle period (14 days) and a maintenance window ahead; the table
 * is renewed once less than `renewWithinMs` of it is left.
 */
export const zoneTableDefaults = {
  backMs: 30 * DAY_MS,
  aheadMs: 400 * DAY_MS,
  renewWithinMs: 30 * DAY_MS,
};

/**
 * Zone offsets without Intl in the agent: a helper process
 * (agent/helper.ts `zone-offsets`) reads the zone's offsets for the next
 * year from Intl and exits; core answers from the table from then on.
 * UTC needs no table. Reading time zones through Intl would map several
 * MB of ICU data into the agent for the rest of its life.
 */
export function helperZoneTables(
  run: CommandRunner,
  helper: HelperCommand,
): ZoneTablesPort {
  return async (timeZone, now) => {
    if (isUtcZone(timeZone) || covers(zoneOffsetTableOf(timeZone), now)) {
      return;
    }
    const from = now - zoneTableDefaults.backMs;
    const to = now + zoneTableDefaults.aheadMs;
    const { output } = await callHelper(
      run,
      helper,
      ['zone-offsets', timeZone, String(from), String(to)],
      helperDefaults.zoneTimeoutMs,
    );
    useZoneOffsetTable(asZoneTable(output, timeZone));
  };
}

function covers(table: ZoneOffsetTable | undefined, now: number) {
  if (!table) return false;
  const back = now - zoneTableDefaults.backMs / 2;
  return (
    table.fromMs <= back && table.toMs - now > zoneTableDefaults.renewWithinMs
  );
}

/** The helper's table, checked before core trusts it. */
export function asZoneTable(output: unknown, timeZone: string) {
  const table = output as Partial<ZoneOffsetTable> | null;
  const finite = (n: unknown) => typeof n === 'number' && Number.isFinite(n);
  const valid =
    table?.timeZone === timeZone &&
    finite(table.fromMs) &&
    finite(table.toMs) &&
    finite(table.offsetMs) &&
    Array.isArray(table.changes) &&
    table.changes.every((c) => finite(c?.atMs) && finite(c?.offsetMs));
  if (!valid) {
    throw new Error(`the zone-offsets helper gave no table for ${timeZone}`);
  }
  return table as ZoneOffsetTable;
}
