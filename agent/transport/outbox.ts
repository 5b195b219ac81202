import { TRANSPORT_ERROR_CODES, TransportError } from '../errors.js';

/**
 * The messages waiting for a PUBACK, in publish order. The session takes
 * queued messages out to send them and puts them back when the connection
 * drops before the broker acknowledged them, so a report published while
 * offline, or in flight when the link broke, is sent on the next connection.
 *
 * Known limitation: the queue lives in memory, so a report still queued
 * when the agent process ends is lost. That is acceptable while every
 * check can simply run again on the next start; the durable outbox (a
 * journal under the state folder) replaces this class behind the same
 * methods.
 */
export interface OutboxMessage {
  topic: string;
  payload: string;
}

export interface OutboxEntry extends OutboxMessage {
  /** The connection it was sent on; undefined while waiting to be sent. */
  sentOn?: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

export const outboxDefaults = {
  /** Messages kept while offline; reports are <= 5 KB. @default 1000 */
  maxMessages: 1000,
};

export class MemoryOutbox {
  readonly #entries: OutboxEntry[] = [];
  readonly #maxMessages: number;
  #emptyWaiters: (() => void)[] = [];

  constructor(maxMessages = outboxDefaults.maxMessages) {
    this.#maxMessages = Math.max(1, Math.floor(maxMessages));
  }

  get size() {
    return this.#entries.length;
  }

  /** Queues a message; the promise settles when the broker acknowledges. */
  add(message: OutboxMessage): { entry: OutboxEntry; acked: Promise<void> } {
    let entry: OutboxEntry | undefined;
    const acked = new Promise<void>((resolve, reject) => {
      entry = { ...message, resolve, reject };
    });
    if (!entry) throw new Error('unreachable: promise executor runs at once');

    this.#entries.push(entry);
    this.#dropOverflow();
    return { entry, acked };
  }

  /** Entries not yet sent on any live connection, oldest first. */
  unsent(): OutboxEntry[] {
    return this.#entries.filter((e) => e.sentOn === undefined);
  }

  acknowledge(entry: OutboxEntry) {
    const at = this.#entries.indexOf(entry);
    if (at < 0) return;

    this.#entries.splice(at, 1);
    entry.resolve();
    this.#notifyIfEmpty();
  }

  /** The connection dropped: what it carried must be sent again. */
  requeue(connection: number) {
    for (const entry of this.#entries) {
      if (entry.sentOn === connection) entry.sentOn = undefined;
    }
  }

  /** Resolves once every queued message is acknowledged. */
  empty(): Promise<void> {
    if (this.#entries.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#emptyWaiters.push(resolve));
  }

  /** Fails every waiting message with `error` and empties the queue. */
  rejectAll(error: Error) {
    for (const entry of this.#entries.splice(0)) entry.reject(error);
    this.#notifyIfEmpty();
  }

  #dropOverflow() {
    while (this.#entries.length > this.#maxMessages) {
      // The oldest unsent message goes; one in flight may already be in.
      const at = this.#entries.findIndex((e) => e.sentOn === undefined);
      const [dropped] = this.#entries.splice(Math.max(at, 0), 1);
      dropped?.reject(
        new TransportError(
          TRANSPORT_ERROR_CODES.queueFull,
          `outbox full (${this.#maxMessages} messages): oldest dropped`,
        ),
      );
    }
  }

  #notifyIfEmpty() {
    if (this.#entries.length > 0) return;
    const waiters = this.#emptyWaiters;
    this.#emptyWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
