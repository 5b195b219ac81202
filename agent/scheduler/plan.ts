import {
  type CycleDefinition,
  jitterMs,
  latestCycleWindow,
  plannedRunAt,
} from '../../core/index.js';
import type {
  AcceptedCycle,
  CompletedCycle,
  CycleTrigger,
  SchedulePolicy,
} from './types.js';

/**
 * Which windows still need a run, when, and why (pure; `now` passed in).
 *
 * For each cycle, its latest window at or before `now`:
 *   - covered when a run of the kind completed at or after the window's due
 *     time (whichever window or message asked for it): nothing to do;
 *   - otherwise planned at plannedRunAt (maintenance window + jitter).
 *     If that time fell before `activeSince` (the agent's start, or the
 *     last wake from sleep), the agent was away then: the run is a
 *     catch-up at activeSince + jitter within catchUpSpreadMs. Only the
 *     latest window of each kind is looked at, so a device away for nine
 *     days runs each kind once, not once per missed window.
 * An accepted cloud message whose window is newer than the kind's latest
 * own window (the cloud's table differs) is planned at its arrival (or its
 * due time, if later) + jitter, while its window lasts. A window counts as
 * covered by a completed run of its own id too, so that a run finishing
 * before an early message's due time is not repeated.
 */
export interface PlanInput {
  cycles: readonly CycleDefinition[];
  now: number;
  activeSince: number;
  thingName: string;
  policy: SchedulePolicy;
  completed: (kind: string) => CompletedCycle | undefined;
  accepted: readonly AcceptedCycle[];
  catchUpSpreadMs: number;
  scheduleSpreadMs: number;
}

export interface PlannedRun {
  cycle: CycleDefinition;
  cycleId: string;
  dueAt: number;
  runAt: number;
  trigger: CycleTrigger;
}

export function planRuns(input: PlanInput): PlannedRun[] {
  const plans = input.cycles.flatMap((cycle, order) => {
    const own = ownWindow(input, cycle);
    const cloud = cloudPlan(input, cycle, own?.dueAt);
    return [own?.plan, cloud].flatMap((p) => (p ? [{ ...p, order }] : []));
  });
  plans.sort((a, b) => a.runAt - b.runAt || a.order - b.order);
  return plans.map(({ order: _order, ...plan }) => plan);
}

function covered(
  input: PlanInput,
  kind: string,
  window: { cycleId: string; dueAt: number },
) {
  const done = input.completed(kind);
  if (!done) return false;
  return (
    done.cycleId === window.cycleId ||
    Date.parse(done.completedAt) >= window.dueAt
  );
}

/** The kind's latest window, and its plan unless a run covered it. */
function ownWindow(
  input: PlanInput,
  cycle: CycleDefinition,
): { dueAt: number; plan?: PlannedRun } | undefined {
  const timeZone = input.policy.timeZone ?? 'UTC';
  const window = latestCycleWindow(cycle, input.now, timeZone);
  if (!window) return undefined;
  if (covered(input, cycle.kind, window)) return { dueAt: window.dueAt };

  const plannedAt = plannedRunAt(cycle, window, {
    thingName: input.thingName,
    timeZone,
    maintenanceWindow: input.policy.maintenanceWindow,
    spreadMs: input.scheduleSpreadMs,
  });
  const away = plannedAt < input.activeSince;
  const runAt = away
    ? input.activeSince +
      jitterMs(input.thingName, window.cycleId, input.catchUpSpreadMs)
    : plannedAt;
  const trigger: CycleTrigger = away ? 'catch-up' : 'schedule';
  return {
    dueAt: window.dueAt,
    plan: {
      cycle,
      cycleId: window.cycleId,
      dueAt: window.dueAt,
      runAt,
      trigger,
    },
  };
}

function cloudPlan(
  input: PlanInput,
  cycle: CycleDefinition,
  ownDueAt: number | undefined,
): PlannedRun | undefined {
  const newest = input.accepted
    .filter((m) => m.kind === cycle.kind)
    .map((m) => ({ ...m, due: Date.parse(m.dueAt) }))
    .filter((m) => ownDueAt === undefined || m.due > ownDueAt)
    .filter((m) => Date.parse(m.windowEndsAt) > input.now)
    .filter((m) => !covered(input, cycle.kind, { ...m, dueAt: m.due }))
    .at(-1);
  if (!newest) return undefined;

  // A message may come early: the run waits for the window to open.
  const from = Math.max(Date.parse(newest.receivedAt), newest.due);
  const room = Date.parse(newest.windowEndsAt) - from;
  const spread = Math.max(0, Math.min(input.scheduleSpreadMs, room));
  return {
    cycle,
    cycleId: newest.cycleId,
    dueAt: newest.due,
    runAt: from + jitterMs(input.thingName, newest.cycleId, spread),
    trigger: 'schedule',
  };
}
