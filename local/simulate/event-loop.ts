/**
 * Virtual time for the fleet: a binary heap of events ordered by time (and
 * by insertion for equal times). `run` pops the earliest, moves the clock
 * to it and awaits its callback, so everything a callback starts (the
 * scheduler's looks and runs, their promises) finishes before time moves
 * on. Cancelling marks an event dead; it is dropped when it surfaces.
 */
export type EventCallback = () => void | Promise<void>;

interface Entry {
  at: number;
  seq: number;
  callback: EventCallback;
  cancelled: boolean;
}

export interface EventHandle {
  readonly at: number;
  cancel(): void;
}

export class EventLoop {
  #now: number;
  #seq = 0;
  readonly #heap: Entry[] = [];
  #processed = 0;

  constructor(start: number) {
    this.#now = start;
  }

  get now(): number {
    return this.#now;
  }

  /** Events run so far. */
  get processed(): number {
    return this.#processed;
  }

  /** Runs `callback` at `at` (not before now). */
  at(at: number, callback: EventCallback): EventHandle {
    const entry: Entry = {
      at: Math.max(Math.ceil(at), this.#now),
      seq: this.#seq++,
      callback,
      cancelled: false,
    };
    this.#push(entry);
    return {
      at: entry.at,
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  after(ms: number, callback: EventCallback): EventHandle {
    return this.at(this.#now + ms, callback);
  }

  /** Runs every event up to `until`, then sets the clock to it. */
  async run(until: number, onEach?: () => void) {
    for (;;) {
      const top = this.#heap[0];
      if (!top || top.at > until) break;
      this.#pop();
      if (top.cancelled) continue;
      this.#now = top.at;
      this.#processed++;
      await top.callback();
      onEach?.();
    }
    this.#now = Math.max(this.#now, until);
  }

  #push(entry: Entry) {
    const heap = this.#heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent] as Entry)) break;
      heap[i] = heap[parent] as Entry;
      i = parent;
    }
    heap[i] = entry;
  }

  #pop() {
    const heap = this.#heap;
    const last = heap.pop() as Entry;
    if (heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child =
        right < heap.length && before(heap[right] as Entry, heap[left] as Entry)
          ? right
          : left;
      if (!before(heap[child] as Entry, last)) break;
      heap[i] = heap[child] as Entry;
      i = child;
    }
    heap[i] = last;
  }
}

function before(a: Entry, b: Entry) {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
