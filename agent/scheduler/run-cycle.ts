import type { CheckKind, CycleDefinition } from '../../core/index.js';
import type { AgentLogger } from '../logger.js';
import {
  type CycleTrigger,
  type RunCycle,
  schedulerDefaults,
} from './types.js';

/**
 * How a cycle becomes check runs: each of its checks this agent has, in
 * the agent's check order (cheap ones first), one at a time.
 *
 * A check is skipped when
 *   - the outbox already holds the receipt `<cycleId>/<check>`: its report
 *     for this window was stored before a crash or restart, so running it
 *     again would store a second report for the same window;
 *   - it ran less than `shareWithinMs` ago for another cycle (maintenance
 *     and disk-space both due at a first start): that fresh report stands
 *     for this cycle too, except for a check whose work depends on the
 *     cycle (a spyware scan: quick or full).
 */
export interface CheckPort {
  kinds(): CheckKind[];
  run(
    kind: CheckKind,
    trigger: CycleTrigger,
    cycleId: string,
  ): Promise<unknown>;
}

export interface CycleRunOptions {
  checks: CheckPort;
  hasReceipt: (receipt: string) => boolean;
  now: () => Date;
  logger: AgentLogger;
  /** @default schedulerDefaults.shareCheckWithinMs (10 minutes) */
  shareWithinMs?: number;
}

/**
 * Checks whose work depends on the cycle that asked: a quick scan cannot
 * stand for a full one, so these are never shared between cycles.
 */
const CYCLE_SPECIFIC_CHECKS: ReadonlySet<CheckKind> = new Set(['spyware-scan']);

export function receiptOf(cycleId: string, check: CheckKind) {
  return `${cycleId}/${check}`;
}

export function createCycleRun(options: CycleRunOptions): RunCycle {
  const shareWithinMs =
    options.shareWithinMs ?? schedulerDefaults.shareCheckWithinMs;
  const lastRan = new Map<CheckKind, number>();

  return async (cycle, trigger, cycleId) => {
    for (const check of checksOf(cycle, options.checks.kinds())) {
      const fields = { check, cycleId };
      if (options.hasReceipt(receiptOf(cycleId, check))) {
        options.logger.info('check already queued for this cycle', fields);
        continue;
      }
      const ranAt = lastRan.get(check);
      const now = options.now().getTime();
      const shareable = !CYCLE_SPECIFIC_CHECKS.has(check);
      if (shareable && ranAt !== undefined && now - ranAt < shareWithinMs) {
        options.logger.debug('check ran moments ago, shared', fields);
        continue;
      }

      await options.checks.run(check, trigger, cycleId);
      lastRan.set(check, options.now().getTime());
    }
  };
}

/** The cycle's checks this agent has, in the agent's order. */
export function checksOf(cycle: CycleDefinition, kinds: readonly CheckKind[]) {
  return kinds.filter((kind) => cycle.checks.includes(kind));
}

/**
 * The cycles this agent can run (one check is enough), cheapest first: by
 * the position of their first check in the agent's list, which is the
 * order a first start runs them in.
 */
export function runnableCycles(
  cycles: readonly CycleDefinition[],
  kinds: readonly CheckKind[],
): CycleDefinition[] {
  const rank = (cycle: CycleDefinition) =>
    Math.min(...checksOf(cycle, kinds).map((k) => kinds.indexOf(k)));
  return cycles
    .filter((cycle) => checksOf(cycle, kinds).length > 0)
    .map((cycle, order) => ({ cycle, order, rank: rank(cycle) }))
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .map(({ cycle }) => cycle);
}
