import type { CheckKind, CycleDefinition } from '../../core/index.js';
import type { AgentLogger } from '../logger.js';
import type { StateStore } from '../state/state-store.js';
import { StateCycleStore } from './cycle-store.js';
import { createCycleRun, runnableCycles } from './run-cycle.js';
import { createScheduler, type Scheduler } from './scheduler.js';
import {
  type ConditionsPort,
  type CycleTrigger,
  type SchedulePolicy,
  type SchedulerTimers,
  type SchedulerTuning,
  schedulerDefaults,
  type ZoneTablesPort,
} from './types.js';

/** What startAgent hands over to run its cycles. */
export interface AgentCyclesOptions {
  cycles: readonly CycleDefinition[];
  policy: SchedulePolicy;
  thingName: string;
  now: () => Date;
  state: StateStore;
  checks: {
    kinds(): CheckKind[];
    run(
      kind: CheckKind,
      trigger: CycleTrigger,
      cycleId: string,
    ): Promise<unknown>;
  };
  hasReceipt: (receipt: string) => boolean;
  logger: AgentLogger;
  timers?: SchedulerTimers;
  conditions?: ConditionsPort;
  zoneTables?: ZoneTablesPort;
  tuning?: Partial<SchedulerTuning>;
}

/**
 * The agent's scheduler over its state file and check runner, started:
 * the cycles it has checks for, completed cycles in the `scheduler`
 * section of the state file, reports skipped when the outbox holds their
 * receipt.
 */
export function startAgentCycles(options: AgentCyclesOptions): Scheduler {
  const { logger } = options;
  const kept = options.tuning?.acceptedKept ?? schedulerDefaults.acceptedKept;
  const scheduler = createScheduler({
    cycles: runnableCycles(options.cycles, options.checks.kinds()),
    policy: options.policy,
    thingName: options.thingName,
    now: options.now,
    store: new StateCycleStore(options.state, logger, kept),
    run: createCycleRun({
      checks: options.checks,
      hasReceipt: options.hasReceipt,
      now: options.now,
      logger,
      shareWithinMs: options.tuning?.shareCheckWithinMs,
    }),
    logger,
    timers: options.timers,
    conditions: options.conditions,
    zoneTables: options.zoneTables,
    tuning: options.tuning,
  });
  scheduler.start();
  return scheduler;
}
