import { EventEmitter } from 'node:events';
import {
  CYCLES,
  type CycleDefinition,
  cycleExpression,
  nextCycleWindow,
} from '../../core/index.js';

/**
 * EventBridge Scheduler for the local stack: the schedules infra deploys
 * (one per rate kind, one per cron kind and time zone, from the same
 * core/cycles.ts table), plus periodic jobs (the sweep, policy
 * reconciliation), on a clock that may run faster than the wall clock:
 *
 *   virtual now = start + (wall now - wall start) x speed
 *
 * With speed 1 a schedule fires at its due time; with speed 60 an hour of
 * schedules passes in a minute (demos, tests). Each firing invokes the
 * cycles handler with the scheduled time, as Scheduler's
 * `<aws.scheduler.scheduled-time>` does. Failures are `error` events
 * ({name, error}); the parts never log.
 */
export const localSchedulerDefaults = {
  /** Virtual ms per wall ms. */
  speed: 1,
  /** Longest wall wait between two looks at the schedule, ms. */
  maxWaitMs: 60_000,
};

export interface CycleFiring {
  kind: string;
  timeZone?: string;
  scheduledTime: string;
}

export interface PeriodicJob {
  name: string;
  /** Virtual period, ms. */
  everyMs: number;
  run: () => Promise<unknown>;
}

export interface LocalSchedulerOptions {
  /** The cycles handler. */
  fire: (firing: CycleFiring) => Promise<unknown>;
  /** Zones with clients; cron kinds fire once per zone. @default ['UTC'] */
  timeZones?: () => readonly string[];
  jobs?: readonly PeriodicJob[];
  /** @default 1 */
  speed?: number;
  /** The wall clock, ms. @default Date.now */
  wallNow?: () => number;
  cycles?: readonly CycleDefinition[];
}

interface Pending {
  name: string;
  at: number;
  run: () => Promise<unknown>;
}

export class LocalCycleScheduler {
  readonly events = new EventEmitter();
  readonly #o: LocalSchedulerOptions;
  readonly #speed: number;
  readonly #wall: () => number;
  readonly #startWall: number;
  readonly #startVirtual: number;
  /** Per schedule: the due time it last fired for (or when first seen). */
  readonly #last = new Map<string, number>();
  readonly #nextJob = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  /** Cycle firings so far. */
  fired = 0;

  constructor(options: LocalSchedulerOptions) {
    const speed = options.speed ?? localSchedulerDefaults.speed;
    if (!Number.isFinite(speed) || speed < 1 || speed > 100_000) {
      throw new RangeError(`speed must be 1 to 100000, got ${speed}`);
    }
    this.#o = options;
    this.#speed = speed;
    this.#wall = options.wallNow ?? Date.now;
    this.#startWall = this.#wall();
    this.#startVirtual = this.#startWall;
    for (const job of options.jobs ?? []) {
      this.#nextJob.set(job.name, this.#startVirtual + job.everyMs);
    }
  }

  /** The scheduler's clock, ms: what the handlers it drives take as now. */
  now = (): number =>
    this.#startVirtual + (this.#wall() - this.#startWall) * this.#speed;

  start() {
    this.#arm();
  }

  async stop() {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** The next firing of every schedule and job, earliest first. */
  pending(): Pending[] {
    const zones = this.#o.timeZones?.() ?? ['UTC'];
    const out: Pending[] = [];
    for (const cycle of this.#o.cycles ?? CYCLES) {
      const cron = cycleExpression(cycle).type === 'cron';
      for (const zone of cron ? zones : ['UTC']) {
        const name = `${cycle.kind}@${zone}`;
        const from = this.#lastOf(name);
        const window = nextCycleWindow(cycle, from, zone);
        if (!window) continue;
        const firing: CycleFiring = {
          kind: cycle.kind,
          ...(cron ? { timeZone: zone } : {}),
          scheduledTime: new Date(window.dueAt).toISOString(),
        };
        out.push({
          name,
          at: window.dueAt,
          run: async () => {
            this.#last.set(name, window.dueAt);
            this.fired++;
            return this.#o.fire(firing);
          },
        });
      }
    }
    for (const job of this.#o.jobs ?? []) {
      const at = this.#nextJob.get(job.name) ?? this.now();
      out.push({
        name: job.name,
        at,
        run: async () => {
          this.#nextJob.set(job.name, at + job.everyMs);
          return job.run();
        },
      });
    }
    return out.sort((a, b) => a.at - b.at);
  }

  /** A schedule seen for the first time starts from now, not from 1970. */
  #lastOf(name: string) {
    let last = this.#last.get(name);
    if (last === undefined) {
      last = this.now();
      this.#last.set(name, last);
    }
    return last;
  }

  #arm() {
    if (this.#stopped) return;
    const next = this.pending()[0];
    const virtualWait = next ? next.at - this.now() : Number.POSITIVE_INFINITY;
    const wallWait = Math.min(
      localSchedulerDefaults.maxWaitMs,
      Math.max(0, virtualWait / this.#speed),
    );
    this.#timer = setTimeout(() => this.#tick(), wallWait);
  }

  #tick() {
    this.#running = this.#runDue().finally(() => {
      this.#running = undefined;
      this.#arm();
    });
  }

  /** Runs everything due by now, in time order, one at a time. */
  async #runDue() {
    while (!this.#stopped) {
      const next = this.pending()[0];
      if (!next || next.at > this.now()) return;
      try {
        await next.run();
      } catch (error) {
        this.events.emit('error', { name: next.name, error });
      }
    }
  }
}
