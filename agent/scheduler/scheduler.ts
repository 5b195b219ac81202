import { type CycleMessage, cycleMessageSchema } from '../../core/index.js';
import { isoTime } from '../../core/iso-time.js';
import type { AgentLogger } from '../logger.js';
import { blockingReasons } from './conditions.js';
import { type PlannedRun, planRuns } from './plan.js';
import {
  type ConditionsPort,
  type SchedulerOptions,
  type SchedulerTimers,
  type SchedulerTuning,
  schedulerDefaults,
} from './types.js';

/**
 * The agent's cycle scheduler: anacron-style catch-up plus on-time runs,
 * one run at a time.
 *
 *   start -> look -> run what is due (one) -> record completion -> look
 *              ^                                                    |
 *              +---- timer: min(tick, next planned run) <-----------+
 *
 * A look plans the latest window of every cycle (plan.ts) and runs the
 * earliest one whose time has come. Wake rule: a timer that fires more
 * than `wakeMarginMs` later than it was set for means the machine slept
 * (timers stand still in sleep, the wall clock does not); the wake time
 * becomes `activeSince`, so every window planned during the sleep is run
 * once as a catch-up, spread by jitter. A connect only triggers a look:
 * the agent runs its cycles offline too, so being offline misses nothing.
 *
 * Heavy cycles wait while the conditions port reports battery, a metered
 * network or a presentation; they are looked at again on the next tick.
 */
export interface Scheduler {
  start(): void;
  /** Stops the timers and waits for the run in progress. */
  stop(): Promise<void>;
  /** The session (re)connected: look again now. */
  connected(): void;
  /** A message from the group cycle topic. */
  receive(payload: string): Promise<CycleMessageOutcome>;
  /** Resolves once no run and no look is in progress. */
  idle(): Promise<void>;
}

export type CycleMessageOutcome =
  | 'accepted'
  | 'duplicate'
  | 'expired'
  | 'invalid'
  | 'not-run-here';

const realTimers: SchedulerTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

const noConditions: ConditionsPort = async () => ({});

/** Smallest wait between two looks, ms: a run due "now" is not a loop. */
const MIN_DELAY_MS = 10;

export function createScheduler(options: SchedulerOptions): Scheduler {
  return new CycleScheduler(options);
}

class CycleScheduler implements Scheduler {
  readonly #o: SchedulerOptions;
  readonly #tuning: SchedulerTuning;
  readonly #timers: SchedulerTimers;
  readonly #conditions: ConditionsPort;
  readonly #log: AgentLogger;
  readonly #failedAt = new Map<string, number>();
  readonly #waitingLogged = new Set<string>();
  #activeSince = 0;
  #catchUpSpreadMs = 0;
  #timer: { handle: unknown; setAt: number; delay: number } | undefined;
  #running: Promise<void> | undefined;
  #looking: Promise<void> | undefined;
  #stopped = true;

  constructor(options: SchedulerOptions) {
    this.#o = options;
    this.#tuning = { ...schedulerDefaults, ...options.tuning };
    this.#timers = options.timers ?? realTimers;
    this.#conditions = options.conditions ?? noConditions;
    this.#log = options.logger;
  }

  start() {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#activeSince = this.#now();
    // A device that never completed a cycle was just enrolled: it reports
    // at once, so that the technician sees it; enrolments are spread by
    // hand already.
    const fresh = this.#o.cycles.every((c) => !this.#o.store.completed(c.kind));
    this.#catchUpSpreadMs = fresh ? 0 : this.#tuning.catchUpSpreadMs;
    this.#log.info('scheduler started', {
      cycles: this.#o.cycles.map((c) => c.kind),
      fresh,
    });
    this.#look();
  }

  async stop() {
    this.#stopped = true;
    this.#clearTimer();
    await this.#running;
  }

  connected() {
    if (!this.#running) this.#look();
  }

  async idle() {
    while (this.#running || this.#looking) {
      await (this.#running ?? this.#looking);
    }
  }

  async receive(payload: string): Promise<CycleMessageOutcome> {
    const message = parseCycleMessage(payload);
    if (!message) {
      this.#log.warn('cycle message refused', { code: 'cycle-invalid' });
      return 'invalid';
    }
    const outcome = this.#judgeMessage(message);
    this.#log.debug('cycle message', { cycleId: message.cycleId, outcome });
    if (outcome !== 'accepted') return outcome;

    const receivedAt = isoTime(this.#now());
    await this.#o.store.accept({ ...message, receivedAt });
    this.connected();
    return outcome;
  }

  #judgeMessage(message: CycleMessage): CycleMessageOutcome {
    const { store } = this.#o;
    if (!this.#o.cycles.some((c) => c.kind === message.kind)) {
      return 'not-run-here';
    }
    if (Date.parse(message.windowEndsAt) <= this.#now()) return 'expired';
    if (store.accepted().some((m) => m.cycleId === message.cycleId)) {
      return 'duplicate';
    }
    const done = store.completed(message.kind);
    const dueAt = Date.parse(message.dueAt);
    if (
      done &&
      (done.cycleId === message.cycleId ||
        Date.parse(done.completedAt) >= dueAt)
    ) {
      return 'duplicate';
    }
    return 'accepted';
  }

  #now() {
    return this.#o.now().getTime();
  }

  #plan(now: number): PlannedRun[] {
    return planRuns({
      cycles: this.#o.cycles,
      now,
      activeSince: this.#activeSince,
      thingName: this.#o.thingName,
      policy: this.#o.policy,
      completed: (kind) => this.#o.store.completed(kind),
      accepted: this.#o.store.accepted(),
      catchUpSpreadMs: this.#catchUpSpreadMs,
      scheduleSpreadMs: this.#tuning.scheduleSpreadMs,
    });
  }

  /** Plans, starts the first due run that may go, sets the next timer. */
  #look() {
    if (this.#stopped || this.#running || this.#looking) return;
    this.#clearTimer();
    this.#looking = this.#pickRun()
      .then((run) => {
        this.#looking = undefined;
        if (this.#stopped) return;
        if (run) this.#start(run);
        else this.#arm();
      })
      .catch((error: unknown) => {
        // A bad table or time zone: a human must fix the policy.
        this.#looking = undefined;
        this.#log.error('scheduler look failed', { error });
        this.#arm();
      });
  }

  async #pickRun(): Promise<PlannedRun | undefined> {
    const now = this.#now();
    await this.#prepareZone(now);
    const due = this.#plan(now).filter(
      (p) => p.runAt <= now && !this.#inRetryPause(p.cycleId, now),
    );
    for (const plan of due) {
      if (!plan.cycle.heavy || (await this.#mayRunHeavy(plan))) return plan;
    }
    return undefined;
  }

  async #prepareZone(now: number) {
    const timeZone = this.#o.policy.timeZone ?? 'UTC';
    try {
      await this.#o.zoneTables?.(timeZone, now);
    } catch (error) {
      // Planning still works: core reads the offsets from Intl instead.
      this.#log.warn('time zone table not made', { timeZone, error });
    }
  }

  #inRetryPause(cycleId: string, now: number) {
    const failedAt = this.#failedAt.get(cycleId);
    return failedAt !== undefined && now < failedAt + this.#tuning.retryAfterMs;
  }

  async #mayRunHeavy(plan: PlannedRun) {
    const conditions = await this.#readConditions();
    const reasons = blockingReasons(conditions);
    if (reasons.length === 0) return true;

    if (!this.#waitingLogged.has(plan.cycleId)) {
      this.#waitingLogged.add(plan.cycleId);
      this.#log.info('heavy cycle waits', {
        kind: plan.cycle.kind,
        cycleId: plan.cycleId,
        reasons,
        ...(conditions.presentingBy
          ? { presentingBy: conditions.presentingBy }
          : {}),
      });
    }
    return false;
  }

  /** A port that fails is all unknown: nothing blocks. */
  async #readConditions() {
    try {
      return await this.#conditions();
    } catch (error) {
      this.#log.warn('device conditions not read', { error });
      return {};
    }
  }

  #start(plan: PlannedRun) {
    this.#running = this.#execute(plan).finally(() => {
      this.#running = undefined;
      this.#look();
    });
  }

  async #execute(plan: PlannedRun) {
    const { kind } = plan.cycle;
    const fields = { kind, cycleId: plan.cycleId, trigger: plan.trigger };
    this.#log.info('cycle started', fields);
    try {
      await this.#o.run(plan.cycle, plan.trigger, plan.cycleId);
    } catch (error) {
      this.#failedAt.set(plan.cycleId, this.#now());
      this.#log.warn('cycle failed, retried later', { ...fields, error });
      return;
    }

    const completedAt = isoTime(this.#now());
    const done = { cycleId: plan.cycleId, completedAt, trigger: plan.trigger };
    await this.#o.store.recordCompleted(kind, done).catch((error) => {
      // Its reports are stored with receipts: a rerun will not repeat them.
      this.#log.warn('cycle completion not saved', { ...fields, error });
    });
    this.#log.info('cycle completed', fields);
  }

  /** Sets the next look: at the next planned run, at most a tick away. */
  #arm() {
    if (this.#stopped) return;
    const now = this.#now();
    const next = this.#nextTime(now);
    const delay = Math.max(
      MIN_DELAY_MS,
      Math.min(this.#tuning.tickMs, next - now),
    );
    const handle = this.#timers.setTimeout(() => this.#onTimer(), delay);
    this.#timer = { handle, setAt: now, delay };
  }

  #nextTime(now: number) {
    let future: number[] = [];
    try {
      future = this.#plan(now)
        .map((p) => p.runAt)
        .filter((t) => t > now);
    } catch {
      // Logged by the look that failed; look again a tick later.
    }
    return Math.min(now + this.#tuning.tickMs, ...future);
  }

  #onTimer() {
    const timer = this.#timer;
    this.#timer = undefined;
    if (!timer || this.#stopped) return;

    const now = this.#now();
    const late = now - (timer.setAt + timer.delay);
    if (late > this.#tuning.wakeMarginMs) {
      this.#activeSince = now;
      this.#catchUpSpreadMs = this.#tuning.catchUpSpreadMs;
      this.#log.info('wake detected', { lateMs: late });
    }
    this.#look();
  }

  #clearTimer() {
    if (this.#timer) this.#timers.clearTimeout(this.#timer.handle);
    this.#timer = undefined;
  }
}

function parseCycleMessage(payload: string) {
  try {
    const parsed = cycleMessageSchema.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
