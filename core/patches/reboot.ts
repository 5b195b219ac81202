import type { RebootPolicy } from '../policy.js';
import { maintenanceSlot } from '../schedule/maintenance-window.js';
import { wallTime } from '../schedule/zoned-time.js';

/**
 * When a device that needs a restart after updates may restart. Pure.
 *
 * By default never during working hours: a restart asked for at 10:30 on
 * a working day waits for the end of the day, in the device's zone. The
 * user may put it off `maxDeferrals` times by `deferMinutes`; a deferral
 * that lands in working hours waits for their end too. Past the limit, a
 * deferral is refused and the restart keeps its time.
 */
export interface RebootRequest {
  nowMs: number;
  timeZone: string;
  policy: RebootPolicy;
  /** Deferrals the user already used for this restart. */
  deferralsUsed: number;
  /** The user asks to put the restart off (once more). */
  defer?: boolean;
}

export type RebootReason =
  | 'outside-working-hours'
  | 'after-working-hours'
  | 'deferred'
  | 'deferral-refused';

export interface RebootPlan {
  atMs: number;
  reason: RebootReason;
  deferralsUsed: number;
  deferralsLeft: number;
}

export function planReboot(request: RebootRequest): RebootPlan {
  const { policy, nowMs, timeZone } = request;
  const canDefer = request.deferralsUsed < policy.maxDeferrals;
  const deferring = request.defer === true && canDefer;
  const used = request.deferralsUsed + (deferring ? 1 : 0);
  const from = deferring ? nowMs + policy.deferMinutes * 60_000 : nowMs;
  const workEnds = workingHoursEnd(from, policy, timeZone);

  const reason: RebootReason = deferring
    ? 'deferred'
    : request.defer
      ? 'deferral-refused'
      : workEnds === undefined
        ? 'outside-working-hours'
        : 'after-working-hours';
  return {
    atMs: workEnds ?? from,
    reason,
    deferralsUsed: used,
    deferralsLeft: Math.max(0, policy.maxDeferrals - used),
  };
}

/**
 * When the working hours that hold `instant` end, or undefined when the
 * instant is outside working hours.
 */
export function workingHoursEnd(
  instant: number,
  policy: RebootPolicy,
  timeZone: string,
): number | undefined {
  const window = { start: policy.workStart, end: policy.workEnd };
  const slot = maintenanceSlot(instant, window, timeZone);
  if (slot.opensAt > instant) return undefined;

  // The day of the instant decides; a night shift past midnight counts
  // on the day it ends.
  const weekday = wallTime(instant, timeZone).weekday;
  const isoDay = weekday === 0 ? 7 : weekday;
  return policy.workDays.includes(isoDay) ? slot.closesAt : undefined;
}
