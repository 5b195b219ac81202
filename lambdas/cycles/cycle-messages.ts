import {
  CYCLES,
  type CycleDefinition,
  type CycleMessage,
  cycleEnabled,
  cycleExpression,
  cycleMessageSchema,
  effectivePolicy,
  groupCycleTopic,
  latestCycleWindow,
  type PolicyLayers,
} from '../../core/index.js';

/**
 * Which cycle messages one schedule firing sends (pure; times passed in).
 *
 * A schedule fires for one kind and, for cron kinds, one time zone (the
 * Scheduler evaluates cron in that zone). Each group whose effective
 * policy runs the kind gets one message for the kind's latest window at
 * the scheduled time, computed in the group's zone: for a cron kind only
 * groups in the schedule's zone (a group elsewhere has its own schedule,
 * or runs on its agents' clocks alone); a rate kind is due at the same
 * instants in every zone. A window already over at `now` (a very late
 * retry) sends nothing.
 */
export interface GroupInput {
  group: string;
  layers: PolicyLayers;
}

export interface OutgoingCycle {
  group: string;
  topic: string;
  message: CycleMessage;
}

export function cycleOf(kind: string): CycleDefinition | undefined {
  return CYCLES.find((c) => c.kind === kind);
}

export function cycleMessagesFor(
  cycle: CycleDefinition,
  scheduledAt: number,
  now: number,
  groups: readonly GroupInput[],
  scheduleZone?: string,
): OutgoingCycle[] {
  const cron = cycleExpression(cycle).type === 'cron';
  return groups.flatMap(({ group, layers }) => {
    const policy = effectivePolicy(layers);
    const zone = policy.timeZone ?? 'UTC';
    if (!cycleEnabled(policy, cycle.kind)) return [];
    if (cron && zone !== (scheduleZone ?? 'UTC')) return [];

    const window = latestCycleWindow(cycle, scheduledAt, zone);
    if (!window || window.windowEndsAt <= now) return [];
    const message = cycleMessageSchema.parse({
      v: 1,
      cycleId: window.cycleId,
      kind: window.kind,
      dueAt: new Date(window.dueAt).toISOString(),
      windowEndsAt: new Date(window.windowEndsAt).toISOString(),
    });
    return [{ group, topic: groupCycleTopic(group), message }];
  });
}
