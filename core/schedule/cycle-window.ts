import type { CycleDefinition } from '../cycles.js';
import { isoTime } from '../iso-time.js';
import { latestDueAt, nextDueAt } from './due-times.js';
import { ScheduleError } from './errors.js';
import {
  parseScheduleExpression,
  type ScheduleExpression,
} from './expression.js';
import { jitterMs } from './jitter.js';
import {
  type MaintenanceWindow,
  maintenanceSlot,
} from './maintenance-window.js';

/**
 * One due window of a cycle: from its due time for `windowMs`. The cycle id
 * `<kind>@<due time, ISO UTC>` names it; the cycle Lambda and the agent's
 * own catch-up compute the same id for the same window, which is what lets
 * the agent run each window at most once whoever asked.
 */
export interface CycleWindow {
  kind: string;
  cycleId: string;
  /** ms since the epoch */
  dueAt: number;
  /** dueAt + windowMs */
  windowEndsAt: number;
}

export type ScheduledCycle = Pick<
  CycleDefinition,
  'kind' | 'schedule' | 'windowMs' | 'startDate' | 'inMaintenanceWindow'
>;

const CYCLE_ID = /^([a-z0-9-]{1,32})@(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)$/;

/** Ids already built: a fleet names the same few windows again and again. */
const ids = new Map<string, Map<number, string>>();
const IDS_KEPT = 10_000;

export function cycleIdOf(kind: string, dueAt: number): string {
  let byDue = ids.get(kind);
  if (!byDue) {
    byDue = new Map();
    ids.set(kind, byDue);
  }
  let id = byDue.get(dueAt);
  if (id === undefined) {
    id = `${kind}@${isoTime(dueAt)}`;
    if (byDue.size >= IDS_KEPT) byDue.clear();
    byDue.set(dueAt, id);
  }
  return id;
}

export function parseCycleId(cycleId: string) {
  const match = CYCLE_ID.exec(cycleId);
  const dueAt = Date.parse(match?.[2] ?? '');
  if (!match || Number.isNaN(dueAt)) {
    throw new ScheduleError(
      'invalid-cycle-id',
      `a cycle id is <kind>@<ISO UTC time with ms>, got "${cycleId}"`,
    );
  }
  return { kind: match[1] as string, dueAt };
}

const parsed = new Map<string, ScheduleExpression>();

/** Parses (once) and returns a cycle's schedule expression. */
export function cycleExpression(cycle: ScheduledCycle): ScheduleExpression {
  let expression = parsed.get(cycle.schedule);
  if (!expression) {
    expression = parseScheduleExpression(cycle.schedule);
    parsed.set(cycle.schedule, expression);
  }
  if (expression.type === 'rate' && !cycle.startDate) {
    throw new ScheduleError(
      'invalid-expression',
      `the ${cycle.kind} cycle has a rate schedule and no startDate`,
    );
  }
  return expression;
}

function dueOptions(cycle: ScheduledCycle, timeZone: string) {
  const startMs = cycle.startDate ? Date.parse(cycle.startDate) : undefined;
  if (cycle.startDate && Number.isNaN(startMs)) {
    throw new ScheduleError(
      'invalid-expression',
      `the ${cycle.kind} cycle's startDate is not ISO 8601: "${cycle.startDate}"`,
    );
  }
  return { timeZone, startMs };
}

function windowAt(cycle: ScheduledCycle, dueAt: number): CycleWindow {
  return {
    kind: cycle.kind,
    cycleId: cycleIdOf(cycle.kind, dueAt),
    dueAt,
    windowEndsAt: dueAt + cycle.windowMs,
  };
}

/** The latest window due at or before `now`, if the schedule had one. */
export function latestCycleWindow(
  cycle: ScheduledCycle,
  now: number,
  timeZone = 'UTC',
): CycleWindow | undefined {
  const expression = cycleExpression(cycle);
  const due = latestDueAt(expression, now, dueOptions(cycle, timeZone));
  return due === undefined ? undefined : windowAt(cycle, due);
}

/** The first window due after `now`. */
export function nextCycleWindow(
  cycle: ScheduledCycle,
  now: number,
  timeZone = 'UTC',
): CycleWindow | undefined {
  const expression = cycleExpression(cycle);
  const due = nextDueAt(expression, now, dueOptions(cycle, timeZone));
  return due === undefined ? undefined : windowAt(cycle, due);
}

export interface PlanOptions {
  thingName: string;
  timeZone: string;
  maintenanceWindow?: MaintenanceWindow;
  /**
   * Spread of a run after its due time when no maintenance window applies,
   * ms; capped at the cycle's windowMs.
   */
  spreadMs: number;
}

/**
 * When this device runs a window on schedule: inside the client's
 * maintenance window for cycles that use it (the first opening at or after
 * the due time, at the device's jitter fraction of what is left of it),
 * otherwise the due time plus the device's jitter within `spreadMs`.
 */
export function plannedRunAt(
  cycle: ScheduledCycle,
  window: CycleWindow,
  options: PlanOptions,
): number {
  const { thingName, timeZone, maintenanceWindow } = options;
  if (cycle.inMaintenanceWindow && maintenanceWindow) {
    const slot = maintenanceSlot(window.dueAt, maintenanceWindow, timeZone);
    const length = slot.closesAt - slot.opensAt;
    return slot.opensAt + jitterMs(thingName, window.cycleId, length);
  }
  const spread = Math.min(options.spreadMs, cycle.windowMs);
  return window.dueAt + jitterMs(thingName, window.cycleId, spread);
}
