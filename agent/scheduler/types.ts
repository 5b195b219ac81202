import type {
  CycleDefinition,
  CycleMessage,
  MaintenanceWindow,
} from '../../core/index.js';
import type { AgentLogger } from '../logger.js';

/** Why the scheduler runs a cycle (a subset of the report triggers). */
export type CycleTrigger = 'schedule' | 'catch-up';

/** The timer functions the scheduler uses; tests pass a simulated clock. */
export interface SchedulerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * What the OS says about the device now. `undefined` is "cannot tell",
 * which never blocks a cycle: a platform without a probe runs heavy work
 * as if on mains power.
 */
export interface DeviceConditions {
  onBattery?: boolean;
  metered?: boolean;
  presenting?: boolean;
  /** What keeps the screen on (a program, a QUNS state), for the log. */
  presentingBy?: string | string[];
  /** Why a condition could not be read, for the log. */
  unknown?: string[];
}

export type ConditionsPort = () => Promise<DeviceConditions>;

/**
 * Makes a time zone's offsets around `now` available to core before the
 * scheduler plans (zone-tables.ts). A rejection leaves core to ask Intl.
 */
export type ZoneTablesPort = (timeZone: string, now: number) => Promise<void>;

export interface CompletedCycle {
  cycleId: string;
  /** ISO time the run finished (its reports were stored in the outbox). */
  completedAt: string;
  trigger: CycleTrigger;
}

/** A cloud cycle message the agent took on, with when it arrived. */
export interface AcceptedCycle extends CycleMessage {
  receivedAt: string;
}

/** Where the scheduler keeps what must survive a restart. */
export interface CycleStore {
  completed(kind: string): CompletedCycle | undefined;
  recordCompleted(kind: string, done: CompletedCycle): Promise<void>;
  /** Accepted cloud cycles, oldest first (bounded). */
  accepted(): AcceptedCycle[];
  accept(cycle: AcceptedCycle): Promise<void>;
}

/**
 * Runs one window of a cycle; resolves once its reports are stored in the
 * outbox (not delivered). A rejection leaves the window to run again.
 */
export type RunCycle = (
  cycle: CycleDefinition,
  trigger: CycleTrigger,
  cycleId: string,
) => Promise<void>;

export interface SchedulePolicy {
  /** @default 'UTC' */
  timeZone?: string;
  maintenanceWindow?: MaintenanceWindow;
}

export interface SchedulerOptions {
  /** The cycles this agent can run (at least one of their checks). */
  cycles: readonly CycleDefinition[];
  policy: SchedulePolicy;
  thingName: string;
  now: () => Date;
  store: CycleStore;
  run: RunCycle;
  logger: AgentLogger;
  /** @default the global setTimeout/clearTimeout */
  timers?: SchedulerTimers;
  /** @default () => all unknown (nothing blocks) */
  conditions?: ConditionsPort;
  /** @default none: core reads offsets from Intl in this process */
  zoneTables?: ZoneTablesPort;
  tuning?: Partial<SchedulerTuning>;
}

export interface SchedulerTuning {
  /** Longest wait between two looks at the table, ms. */
  tickMs: number;
  /**
   * A tick that fires this much later than asked means the machine slept
   * (timers stop during sleep, the wall clock does not), ms.
   */
  wakeMarginMs: number;
  /** Catch-up runs start within this long after start or wake, ms. */
  catchUpSpreadMs: number;
  /** Scheduled runs outside a maintenance window start within this, ms. */
  scheduleSpreadMs: number;
  /** A failed run is tried again after this long, ms. */
  retryAfterMs: number;
  /** Cloud cycle ids remembered for dedupe. */
  acceptedKept: number;
  /**
   * A check that ran this recently for one cycle stands for another cycle
   * that wants it too (maintenance and disk-space at a first start), ms.
   */
  shareCheckWithinMs: number;
}

export const schedulerDefaults: SchedulerTuning = {
  tickMs: 60_000,
  wakeMarginMs: 30_000,
  catchUpSpreadMs: 120_000,
  scheduleSpreadMs: 30 * 60_000,
  retryAfterMs: 15 * 60_000,
  acceptedKept: 64,
  shareCheckWithinMs: 10 * 60_000,
};
