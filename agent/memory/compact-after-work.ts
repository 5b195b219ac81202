/**
 * Gives memory back once a burst of work is over. A run of checks leaves
 * the agent holding bytecode for code it will not run again until the
 * next cycle (report building, the outbox's write path, the helper
 * protocol). V8 drops bytecode that has not run for `--bytecode-old-age`
 * full collections, but an idle agent allocates so little that full
 * collections hardly come; the memory reducer's pair after start-up is
 * often the last for hours. So, when no run has been asked for a while
 * after the last one, this asks for the full collections itself.
 *
 * Idle, it compacts every five minutes. The scheduler's look each minute
 * and the MQTT keep-alive leave a little behind (about 65 KB a minute,
 * enrolled), and with V8's memory reducer off (it cost more CPU than the
 * whole idle agent, docs/agent.md) nothing gives that back until old
 * space reaches V8's own limit: the resident set crept by 1.8 MB in 16
 * minutes. A compaction costs about 50 ms of CPU, so one every five
 * minutes is under 0.02 % of a core; every ten, the creep still took the
 * enrolled agent 0.7 MB up between two compactions.
 *
 * Only when node runs with `--expose-gc` (the launchers do, see
 * scripts/build-options.mjs); an agent embedded in another process leaves
 * that process's heap alone.
 */

/** Two: the first ages what did not run, the second drops it. */
const COLLECTIONS = 2;

export interface CompactTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface CompactAfterWorkOptions {
  /** Quiet time after the last piece of work, ms. @default 3000 */
  quietMs?: number;
  /** While no work runs, compact again this often, ms. @default 300000 */
  idleEveryMs?: number;
  /** A full collection. @default globalThis.gc, when exposed */
  collect?: (() => void) | undefined;
  /** @default the global timers, unref'd */
  timers?: CompactTimers;
}

export interface CompactAfterWork {
  /** A piece of work finished; compaction waits for a quiet spell. */
  workDone(): void;
  /** A piece of work started; a pending compaction waits for its end. */
  workStarted(): void;
  /** Cancels a pending compaction. */
  stop(): void;
  /** Compactions done so far. */
  readonly count: number;
}

const unrefTimers: CompactTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export function compactAfterWork(
  options: CompactAfterWorkOptions = {},
): CompactAfterWork {
  const collect = 'collect' in options ? options.collect : exposedGc();
  const quietMs = options.quietMs ?? 3_000;
  const idleEveryMs = options.idleEveryMs ?? 300_000;
  const timers = options.timers ?? unrefTimers;
  let pending: unknown;
  let count = 0;

  const cancel = () => {
    if (pending !== undefined) timers.clearTimeout(pending);
    pending = undefined;
  };

  const compact = () => {
    pending = undefined;
    for (let i = 0; i < COLLECTIONS; i++) collect?.();
    count++;
    pending = timers.setTimeout(compact, idleEveryMs);
  };
  // An agent that starts with nothing due has no work to wait for.
  if (collect) pending = timers.setTimeout(compact, idleEveryMs);

  return {
    workDone() {
      if (!collect) return;
      cancel();
      pending = timers.setTimeout(compact, quietMs);
    },
    workStarted: cancel,
    stop: cancel,
    get count() {
      return count;
    },
  };
}

function exposedGc(): (() => void) | undefined {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function'
    ? () => gc({ type: 'major', execution: 'sync', flavor: 'last-resort' })
    : undefined;
}
