import { TRANSPORT_ERROR_CODES, TransportError } from '../errors.js';
import { OUTBOX_ERROR_CODES, OutboxError } from './outbox-errors.js';
import { ReceiptSet } from './outbox-receipts.js';

/**
 * The messages waiting for a PUBACK, in publish order. The session takes
 * queued messages out to send them and puts them back when the connection
 * drops before the broker acknowledged them, so a report published while
 * offline, or in flight when the link broke, is sent on the next connection.
 *
 * Two implementations: DurableOutbox (outbox-durable.ts), a journal in the
 * state folder that survives kill -9 and reboot, which the agent uses; and
 * MemoryOutbox below, for sessions that need no durability (tests, tools).
 */
export interface OutboxMessage {
  topic: string;
  payload: string;
  /**
   * An idempotency key the outbox remembers once the message is stored
   * (`<cycleId>/<check>` for a cycle's report), so that a rerun after a
   * crash can tell the report is already queued or sent.
   */
  receipt?: string;
  /** What "of the same kind" means when the outbox is full. @default topic */
  group?: string;
  /** A routine (scheduled) message goes first when the outbox is full. */
  routine?: boolean;
  /**
   * A request (request-topics.ts): kept in memory only, and a newer one to
   * the same topic replaces one not sent yet.
   */
  request?: boolean;
}

export interface OutboxEntry extends OutboxMessage {
  /** The connection it was sent on; undefined while waiting to be sent. */
  sentOn?: number;
  /** When it was last sent, ms since the epoch. */
  sentAt?: number;
  /** Connections that closed right after it was sent, without a PUBACK. */
  fatalSends?: number;
  /** Settles when the broker acknowledges it, or it is dropped. */
  acked: Promise<void>;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** What the MQTT session needs of an outbox. */
export interface Outbox {
  readonly size: number;
  /** Stores a message; resolves once it is stored (durably, if durable). */
  add(message: OutboxMessage): Promise<OutboxEntry>;
  /** Entries not yet sent on any live connection, oldest first. */
  unsent(): OutboxEntry[];
  acknowledge(entry: OutboxEntry): void;
  /**
   * Takes a message out of the queue for good, kept aside with `reason`
   * (the durable outbox writes it to its quarantine file).
   */
  setAside(entry: OutboxEntry, reason: string): void;
  /** The connection dropped: what it carried must be sent again. */
  requeue(connection: number): void;
  /** Resolves once every message is acknowledged (or the session ended). */
  empty(): Promise<void>;
  /**
   * Fails every caller still waiting for an acknowledgement. A memory
   * outbox forgets its messages; a durable one keeps them for next start.
   */
  rejectAll(error: Error): void;
  /** True when a message with this receipt was stored (recently). */
  hasReceipt(receipt: string): boolean;
}

export const outboxDefaults = {
  /** Messages kept while offline; reports are <= 5 KB. @default 1000 */
  maxMessages: 1000,
  /** Receipts remembered. @default 512 */
  receiptsKept: 512,
};

/** An entry whose `acked` promise never raises an unhandled rejection. */
export function newEntry(message: OutboxMessage): OutboxEntry {
  let settle: Pick<OutboxEntry, 'resolve' | 'reject'> | undefined;
  const acked = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Replayed entries have no caller; a rejection nobody awaits is expected.
  acked.catch(() => undefined);
  if (!settle) throw new Error('unreachable: promise executor runs at once');
  return { ...message, acked, ...settle };
}

export function setAsideError(reason: string) {
  return new OutboxError(
    OUTBOX_ERROR_CODES.setAside,
    `message set aside: ${reason}`,
  );
}

/**
 * A newer request replaces an unsent one to the same topic: the reply goes
 * to whoever asked last, and reconnects do not pile requests up. Returns
 * the entries taken out.
 */
export function supersede<E extends OutboxEntry>(
  entries: E[],
  message: OutboxMessage,
): E[] {
  if (!message.request) return [];
  const replaced: E[] = [];
  for (let at = entries.length - 1; at >= 0; at--) {
    const entry = entries[at] as E;
    if (!entry.request || entry.topic !== message.topic) continue;
    if (entry.sentOn !== undefined) continue;
    entries.splice(at, 1);
    replaced.push(entry);
    entry.reject(
      new OutboxError(
        OUTBOX_ERROR_CODES.superseded,
        `a newer request to ${message.topic} replaced this one`,
      ),
    );
  }
  return replaced;
}

/** Resolves waiters once a queue is empty. */
export class EmptyWaiters {
  #waiters: (() => void)[] = [];

  wait(isEmpty: boolean): Promise<void> {
    if (isEmpty) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  notify() {
    for (const resolve of this.#waiters.splice(0)) resolve();
  }
}

/**
 * The in-memory outbox: bounded at `maxMessages`, beyond which the oldest
 * unsent message is dropped with a `queue-full` error. Nothing survives the
 * process.
 */
export class MemoryOutbox implements Outbox {
  readonly #entries: OutboxEntry[] = [];
  readonly #maxMessages: number;
  readonly #receipts = new ReceiptSet(outboxDefaults.receiptsKept);
  readonly #empty = new EmptyWaiters();

  constructor(maxMessages = outboxDefaults.maxMessages) {
    this.#maxMessages = Math.max(1, Math.floor(maxMessages));
  }

  get size() {
    return this.#entries.length;
  }

  async add(message: OutboxMessage): Promise<OutboxEntry> {
    const entry = newEntry(message);
    supersede(this.#entries, message);
    this.#entries.push(entry);
    if (message.receipt) this.#receipts.add(message.receipt);
    this.#dropOverflow();
    return entry;
  }

  unsent(): OutboxEntry[] {
    return this.#entries.filter((e) => e.sentOn === undefined);
  }

  acknowledge(entry: OutboxEntry) {
    const at = this.#entries.indexOf(entry);
    if (at < 0) return;

    this.#entries.splice(at, 1);
    entry.resolve();
    if (this.#entries.length === 0) this.#empty.notify();
  }

  setAside(entry: OutboxEntry, reason: string) {
    const at = this.#entries.indexOf(entry);
    if (at < 0) return;

    this.#entries.splice(at, 1);
    entry.reject(setAsideError(reason));
    if (this.#entries.length === 0) this.#empty.notify();
  }

  requeue(connection: number) {
    for (const entry of this.#entries) {
      if (entry.sentOn === connection) entry.sentOn = undefined;
    }
  }

  empty(): Promise<void> {
    return this.#empty.wait(this.#entries.length === 0);
  }

  rejectAll(error: Error) {
    for (const entry of this.#entries.splice(0)) entry.reject(error);
    this.#empty.notify();
  }

  hasReceipt(receipt: string) {
    return this.#receipts.has(receipt);
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
}
