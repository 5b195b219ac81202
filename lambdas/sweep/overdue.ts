import {
  CYCLES,
  type CycleDefinition,
  cycleEnabled,
  latestCycleWindow,
  type Policy,
} from '../../core/index.js';

/**
 * Which cycle kinds of a device are overdue, and whether to say so yet
 * (pure; `now` passed in). docs/cycles.md explains the rules:
 *
 * A kind is overdue when its latest window that has closed (due time +
 * windowMs at or before now) has no completion at or after its due time.
 * A completion is the agent's own word (`hello.lastRuns`, sent on every
 * connect) or, for each of the kind's checks, a stored report that
 * finished at or after the due time (the agent lets one run of a check
 * stand for two kinds due together).
 *
 * How the device left decides when an overdue kind is a finding:
 *
 *   online           at once: it is there and did not run it
 *   connection-lost  once it has been gone `lostGraceMs`: it may be
 *                    running its cycles offline, with reports queued
 *   clean-shutdown   once it has been off `cleanOfflineMs`: switched off
 *                    for the weekend or a holiday is not a fault; it
 *                    catches up when it comes back
 *   unknown          never seen: enrolment is not finished
 */
export const overdueDefaults = {
  /** Gone after a lost connection this long before it counts, ms. */
  lostGraceMs: 24 * 3_600_000,
  /** Off after a clean shutdown this long before it counts, ms. */
  cleanOfflineMs: 21 * 24 * 3_600_000,
  /** Without lifecycle events: seen within this is online, ms. */
  onlineWithinMs: 15 * 60_000,
};

export type Presence =
  | 'online'
  | 'connection-lost'
  | 'clean-shutdown'
  | 'unknown';

export interface DeviceEvidence {
  policy: Policy;
  /** hello.lastRuns: kind → ISO time. */
  lastRuns: Record<string, string>;
  /** Latest stored report per check: finish time, ms. */
  checkFinishedMs: Record<string, number>;
  presence: Presence;
  /** Since when the device is in its presence state, ms. */
  presenceSinceMs?: number;
}

export interface OverdueKind {
  kind: string;
  dueAt: number;
  windowEndsAt: number;
  lastCompletedMs?: number;
  /** Whether the sweep raises it now (presence rules above). */
  raise: boolean;
}

export function overdueKinds(
  evidence: DeviceEvidence,
  now: number,
  options = overdueDefaults,
): OverdueKind[] {
  const zone = evidence.policy.timeZone ?? 'UTC';
  const out: OverdueKind[] = [];
  for (const cycle of CYCLES as readonly CycleDefinition[]) {
    if (!cycleEnabled(evidence.policy, cycle.kind)) continue;
    const window = latestCycleWindow(cycle, now - cycle.windowMs, zone);
    if (!window) continue;

    const last = lastCompletion(evidence, cycle);
    if (last !== undefined && last >= window.dueAt) continue;
    out.push({
      kind: cycle.kind,
      dueAt: window.dueAt,
      windowEndsAt: window.windowEndsAt,
      lastCompletedMs: last,
      raise: mayRaise(evidence, now, options),
    });
  }
  return out;
}

/** The latest time the kind counts as done by (see above). */
function lastCompletion(evidence: DeviceEvidence, cycle: CycleDefinition) {
  const said = Date.parse(evidence.lastRuns[cycle.kind] ?? '');
  const checks = cycle.checks.map(
    (c) => evidence.checkFinishedMs[c] ?? Number.NEGATIVE_INFINITY,
  );
  const byReports = Math.min(...checks);
  const candidates = [said, byReports].filter(Number.isFinite);
  return candidates.length === 0 ? undefined : Math.max(...candidates);
}

function mayRaise(
  evidence: DeviceEvidence,
  now: number,
  options: typeof overdueDefaults,
) {
  const since = evidence.presenceSinceMs ?? now;
  switch (evidence.presence) {
    case 'online':
      return true;
    case 'connection-lost':
      return now - since >= options.lostGraceMs;
    case 'clean-shutdown':
      return now - since >= options.cleanOfflineMs;
    case 'unknown':
      return false;
  }
}
