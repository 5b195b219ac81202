import type { CheckKind, CycleDefinition } from '../../core/index.js';
import { nextCycleWindow } from '../../core/index.js';
import type { StoredReport } from './fleet-lane.js';
import type { Span } from './profiles.js';

/**
 * The roaming measure of DESIGN §10: the share of due maintenance that
 * reached the cloud within 24 hours of the device coming back.
 *
 * - Due: every window of every cycle kind whose due time falls in the run,
 *   in the device's client time zone.
 * - Back: the device's first connection, at or after the due time, that
 *   lasts `settleMs` (its on-time spread of 30 min plus the catch-up
 *   spread): a laptop that was online at the due time is back then; one
 *   that slept through it is back when it has been online long enough to
 *   have run it. A window with no such connection, or whose 24 hours run
 *   past the end, is censored: neither counted nor missed.
 * - Done: for each check of the kind, a report that finished at or after
 *   the due time reached the cloud within 24 hours of coming back. A
 *   report the agent made minutes earlier for another cycle counts (the
 *   agent lets it stand for both), and so does a later window's report:
 *   the agent runs the latest window only, which covers the earlier ones.
 */
export const coverageDefaults = {
  settleMs: 35 * 60_000,
  withinMs: 24 * 3_600_000,
};

export interface CoverageTally {
  due: number;
  done: number;
  censored: number;
  /** Due windows not done, by kind. */
  missedByKind: Record<string, number>;
}

export function emptyTally(): CoverageTally {
  return { due: 0, done: 0, censored: 0, missedByKind: {} };
}

export interface DeviceCoverageInput {
  cycles: readonly CycleDefinition[];
  timeZone: string;
  start: number;
  end: number;
  connected: readonly Span[];
  reports: readonly StoredReport[];
}

export function addDeviceCoverage(
  tally: CoverageTally,
  input: DeviceCoverageInput,
) {
  const byCheck = indexReports(input.reports);
  for (const cycle of input.cycles) {
    for (const dueAt of dueTimes(cycle, input)) {
      const back = backAt(input.connected, dueAt);
      const deadline =
        back === undefined ? undefined : back + coverageDefaults.withinMs;
      if (deadline === undefined || deadline > input.end) {
        tally.censored++;
        continue;
      }
      tally.due++;
      const done = cycle.checks.every((check) =>
        deliveredBy(byCheck.get(check), dueAt, deadline),
      );
      if (done) tally.done++;
      else
        tally.missedByKind[cycle.kind] =
          (tally.missedByKind[cycle.kind] ?? 0) + 1;
    }
  }
}

function dueTimes(cycle: CycleDefinition, input: DeviceCoverageInput) {
  const times: number[] = [];
  let from = input.start - 1;
  for (;;) {
    const window = nextCycleWindow(cycle, from, input.timeZone);
    if (!window || window.dueAt >= input.end) return times;
    times.push(window.dueAt);
    from = window.dueAt;
  }
}

/** The start of the first connection after `dueAt` that lasts settleMs. */
export function backAt(connected: readonly Span[], dueAt: number) {
  for (const span of connected) {
    if (span.to <= dueAt) continue;
    const from = Math.max(span.from, dueAt);
    if (span.to - from >= coverageDefaults.settleMs) return from;
  }
  return undefined;
}

interface CheckIndex {
  /** Finish times, ascending. */
  finished: number[];
  /** suffixMinReceived[i]: earliest receipt among reports i..end. */
  suffixMinReceived: number[];
}

function indexReports(reports: readonly StoredReport[]) {
  const groups = new Map<CheckKind, StoredReport[]>();
  for (const report of reports) {
    const list = groups.get(report.check) ?? [];
    list.push(report);
    groups.set(report.check, list);
  }
  const index = new Map<CheckKind, CheckIndex>();
  for (const [check, list] of groups) {
    list.sort((a, b) => a.finishedAtMs - b.finishedAtMs);
    const suffix = new Array<number>(list.length);
    let min = Number.POSITIVE_INFINITY;
    for (let i = list.length - 1; i >= 0; i--) {
      min = Math.min(min, (list[i] as StoredReport).receivedAtMs);
      suffix[i] = min;
    }
    index.set(check, {
      finished: list.map((r) => r.finishedAtMs),
      suffixMinReceived: suffix,
    });
  }
  return index;
}

function deliveredBy(
  index: CheckIndex | undefined,
  dueAt: number,
  deadline: number,
) {
  if (!index) return false;
  let lo = 0;
  let hi = index.finished.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((index.finished[mid] as number) < dueAt) lo = mid + 1;
    else hi = mid;
  }
  return (
    lo < index.finished.length &&
    (index.suffixMinReceived[lo] as number) <= deadline
  );
}
