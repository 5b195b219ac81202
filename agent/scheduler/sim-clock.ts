import type { SchedulerTimers } from './types.js';

/**
 * A simulated wall clock with timers, for scheduler tests (not used by the
 * agent). `advance` moves time and fires timers in order, letting the
 * scheduler finish what each one started; `sleep` moves the wall clock
 * without running timers, as a suspended laptop does.
 */
export class SimClock implements SchedulerTimers {
  #now: number;
  #timers: { id: number; at: number; callback: () => void }[] = [];
  #ids = 0;

  constructor(start: number | string) {
    this.#now = typeof start === 'string' ? Date.parse(start) : start;
  }

  now = () => new Date(this.#now);

  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.#ids;
    this.#timers.push({ id, at: this.#now + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown) {
    this.#timers = this.#timers.filter((t) => t.id !== handle);
  }

  /** Moves to now + ms, firing due timers and awaiting `settle` after each. */
  async advance(ms: number, settle: () => Promise<void>) {
    const target = this.#now + ms;
    await settle();
    for (;;) {
      const next = this.#timers
        .filter((t) => t.at <= target)
        .sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#now = Math.max(this.#now, next.at);
      next.callback();
      await settle();
    }
    this.#now = target;
  }

  /** The machine sleeps: the wall clock moves, pending timers wait. */
  sleep(ms: number) {
    this.#now += ms;
    for (const timer of this.#timers) timer.at += ms;
  }
}
