import type { SchedulerTimers } from '../../agent/scheduler/types.js';
import type { EventHandle, EventLoop } from './event-loop.js';

/**
 * One device's timers on the fleet's virtual clock. While the device
 * sleeps its timers stand still, as a suspended laptop's monotonic timers
 * do, and resume with the time they had left on wake: the wall clock has
 * moved, so the scheduler sees its timer fire late and detects the wake,
 * exactly as it does on a real machine.
 */
export class DeviceTimers implements SchedulerTimers {
  readonly #loop: EventLoop;
  readonly #pending = new Map<number, PendingTimer>();
  #ids = 0;
  #asleepAt: number | undefined;
  /** Called after each timer callback (the device settles its agent). */
  onFired: () => Promise<void> = async () => {};

  constructor(loop: EventLoop) {
    this.#loop = loop;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.#ids;
    const timer: PendingTimer = { callback, at: this.#loop.now + ms };
    this.#pending.set(id, timer);
    if (this.#asleepAt === undefined) this.#arm(id, timer);
    return id;
  }

  clearTimeout(handle: unknown) {
    const timer = this.#pending.get(handle as number);
    timer?.event?.cancel();
    this.#pending.delete(handle as number);
  }

  sleep() {
    if (this.#asleepAt !== undefined) return;
    this.#asleepAt = this.#loop.now;
    for (const timer of this.#pending.values()) {
      timer.event?.cancel();
      timer.event = undefined;
    }
  }

  wake() {
    const since = this.#asleepAt;
    if (since === undefined) return;
    this.#asleepAt = undefined;
    const slept = this.#loop.now - since;
    for (const [id, timer] of this.#pending) {
      timer.at += slept;
      this.#arm(id, timer);
    }
  }

  /** Drops every timer (the agent process ended). */
  clear() {
    for (const timer of this.#pending.values()) timer.event?.cancel();
    this.#pending.clear();
  }

  #arm(id: number, timer: PendingTimer) {
    timer.event = this.#loop.at(timer.at, async () => {
      if (this.#pending.get(id) !== timer) return;
      this.#pending.delete(id);
      timer.callback();
      await this.onFired();
    });
  }
}

interface PendingTimer {
  callback: () => void;
  at: number;
  event?: EventHandle;
}
