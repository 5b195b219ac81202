import type {
  AcceptedCycle,
  CompletedCycle,
  CycleStore,
} from '../../agent/scheduler/types.js';

/**
 * The scheduler's CycleStore kept in memory, with the semantics of the
 * agent's StateCycleStore (agent/scheduler/cycle-store.ts): the last
 * completion per kind, and the last `kept` accepted cloud cycles. It
 * outlives the simulated agent process, as the state file outlives a
 * reboot; the file's own durability is tested with the agent.
 */
export class MemoryCycleStore implements CycleStore {
  readonly #completed = new Map<string, CompletedCycle>();
  #accepted: AcceptedCycle[] = [];
  readonly #kept: number;

  constructor(kept: number) {
    this.#kept = kept;
  }

  completed(kind: string): CompletedCycle | undefined {
    return this.#completed.get(kind);
  }

  async recordCompleted(kind: string, done: CompletedCycle) {
    this.#completed.set(kind, done);
  }

  accepted(): AcceptedCycle[] {
    return [...this.#accepted];
  }

  async accept(cycle: AcceptedCycle) {
    this.#accepted = [...this.#accepted, cycle].slice(-this.#kept);
  }

  /** Last finish time per kind, as the hello's `lastRuns`. */
  lastRuns(): Record<string, string> {
    return Object.fromEntries(
      [...this.#completed].map(([kind, done]) => [kind, done.completedAt]),
    );
  }
}

/**
 * A cache client with the Redis/Valkey commands Powertools'
 * CachePersistenceLayer uses (GET, SET with NX and EX, DEL), in memory:
 * the idempotency records of the simulated fleet. Expiry follows the
 * process clock, as the idempotency utility's own expiry check does.
 */
export class MemoryCache {
  readonly #values = new Map<string, { value: string; expiresAt: number }>();

  async get(name: string): Promise<string | null> {
    const entry = this.#values.get(name);
    if (!entry) return null;
    if (entry.expiresAt <= Date.now()) {
      this.#values.delete(name);
      return null;
    }
    return entry.value;
  }

  async set(
    name: string,
    value: unknown,
    options?: unknown,
  ): Promise<string | null> {
    const { NX, EX } = (options ?? {}) as { NX?: boolean; EX?: number };
    if (NX && (await this.get(name)) !== null) return null;
    const expiresAt = EX ? Date.now() + EX * 1000 : Number.POSITIVE_INFINITY;
    this.#values.set(name, { value: String(value), expiresAt });
    return 'OK';
  }

  async del(keys: string[]): Promise<number> {
    let removed = 0;
    for (const key of keys) if (this.#values.delete(key)) removed++;
    return removed;
  }

  get size(): number {
    return this.#values.size;
  }
}
