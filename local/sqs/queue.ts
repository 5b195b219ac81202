import { randomBytes, randomUUID } from 'node:crypto';
import { SqsStandInError } from './errors.js';
import type { Journal } from './journal.js';
import { md5OfAttributes, md5OfBody } from './md5.js';
import { formatReceiptHandle, parseReceiptHandle } from './receipt-handle.js';
import type {
  MessageAttributes,
  ResolvedQueueOptions,
  StoredMessage,
} from './types.js';

export interface SendInput {
  body: string;
  attributes?: MessageAttributes;
  /** Overrides the queue's delay, seconds. */
  delaySeconds?: number;
  senderId: string;
}

/** A copy of a received message, with its receipt handle. */
export type ReceivedMessage = StoredMessage & { receiptHandle: string };

export interface ReceiveResult {
  messages: ReceivedMessage[];
  /** Messages past maxReceiveCount, still here: redrive, then remove. */
  overLimit: StoredMessage[];
}

/**
 * One standard queue: at-least-once, best-effort order, visibility timeout
 * and receive counts. It knows nothing of HTTP or of other queues; the
 * stand-in moves `overLimit` messages to the dead-letter queue.
 */
export class Queue {
  readonly name: string;
  readonly arn: string;
  readonly createdAt: number;
  options: ResolvedQueueOptions;
  readonly #messages = new Map<string, StoredMessage>();
  readonly #journal: Journal | undefined;
  readonly #now: () => number;
  readonly #waiters = new Set<() => void>();

  constructor(init: {
    name: string;
    arn: string;
    options: ResolvedQueueOptions;
    journal?: Journal;
    now: () => number;
  }) {
    this.name = init.name;
    this.arn = init.arn;
    this.options = init.options;
    this.#journal = init.journal;
    this.#now = init.now;
    this.createdAt = init.now();
    for (const m of init.journal?.open() ?? []) {
      this.#messages.set(m.messageId, m);
    }
  }

  send(input: SendInput): StoredMessage {
    const now = this.#now();
    const attributes = input.attributes ?? {};
    const delay = input.delaySeconds ?? this.options.delaySeconds;
    const message: StoredMessage = {
      messageId: randomUUID(),
      body: input.body,
      md5OfBody: md5OfBody(input.body),
      messageAttributes: attributes,
      md5OfMessageAttributes: md5OfAttributes(attributes),
      sentTimestamp: now,
      senderId: input.senderId,
      receiveCount: 0,
      visibleAt: now + delay * 1000,
    };
    this.#store([message]);
    return { ...message };
  }

  /** Takes in a message redriven from `sourceArn`, keeping its id. */
  accept(message: StoredMessage, sourceArn: string) {
    const moved: StoredMessage = {
      ...message,
      receiveCount: 0,
      firstReceiveTimestamp: undefined,
      receipt: undefined,
      visibleAt: this.#now(),
      deadLetterSourceArn: sourceArn,
    };
    this.#store([moved]);
  }

  receive(max: number, visibilityTimeoutSeconds?: number): ReceiveResult {
    const now = this.#now();
    const hideMs =
      (visibilityTimeoutSeconds ?? this.options.visibilityTimeoutSeconds) *
      1000;
    const result: ReceiveResult = { messages: [], overLimit: [] };
    const delivered: StoredMessage[] = [];
    const expired: string[] = [];

    for (const m of this.#messages.values()) {
      if (delivered.length >= max) break;
      if (this.#isExpired(m, now)) expired.push(m.messageId);
      else if (m.visibleAt > now) continue;
      else if (this.#isOverLimit(m)) result.overLimit.push({ ...m });
      else delivered.push(this.#deliver(m, now, hideMs));
    }

    this.remove(expired);
    this.#journal?.received(delivered);
    result.messages = delivered.map((m) => ({
      ...m,
      receiptHandle: formatReceiptHandle({
        queue: this.name,
        messageId: m.messageId,
        nonce: m.receipt as string,
      }),
    }));
    return result;
  }

  /** Deletes by receipt handle; a stale handle succeeds but keeps it. */
  delete(receiptHandle: string) {
    return this.deleteAll([receiptHandle]) === 1;
  }

  /**
   * Deletes by receipt handles in one journal write; returns how many were
   * current (a stale handle keeps its message).
   */
  deleteAll(receiptHandles: readonly string[]) {
    const ids: string[] = [];
    for (const receiptHandle of receiptHandles) {
      const handle = parseReceiptHandle(receiptHandle, this.name);
      const message = this.#messages.get(handle.messageId);
      if (message?.receipt === handle.nonce) ids.push(handle.messageId);
    }
    this.remove(ids);
    return ids.length;
  }

  /** Closes the journal file (the stand-in is closing). */
  close() {
    this.#journal?.close();
  }

  changeVisibility(receiptHandle: string, seconds: number) {
    const handle = parseReceiptHandle(receiptHandle, this.name);
    const message = this.#messages.get(handle.messageId);
    if (!message || message.receipt !== handle.nonce) {
      throw new SqsStandInError(
        'receipt-handle-invalid',
        `The receipt handle has expired: ${receiptHandle}`,
      );
    }
    const now = this.#now();
    if (message.visibleAt <= now) {
      throw new SqsStandInError(
        'message-not-inflight',
        `Message ${message.messageId} is not in flight`,
      );
    }

    message.visibleAt = now + seconds * 1000;
    this.#journal?.put([message]);
    this.notify();
  }

  /** Removes messages by id (after a delete or a redrive). */
  remove(messageIds: readonly string[]) {
    const present = messageIds.filter((id) => this.#messages.delete(id));
    this.#journal?.delete(present);
    if (this.#journal?.needsCompaction(this.#messages.size)) {
      this.#journal.compact([...this.#messages.values()]);
    }
  }

  purge() {
    this.#messages.clear();
    this.#journal?.purge();
  }

  counts() {
    const now = this.#now();
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const m of this.#messages.values()) {
      if (m.visibleAt <= now) visible++;
      else if (m.receiveCount > 0) inFlight++;
      else delayed++;
    }
    return { visible, inFlight, delayed };
  }

  /** Earliest time a hidden message becomes visible, if any is hidden. */
  nextVisibleAt() {
    const now = this.#now();
    let next: number | undefined;
    for (const m of this.#messages.values()) {
      if (m.visibleAt > now && (next === undefined || m.visibleAt < next)) {
        next = m.visibleAt;
      }
    }
    return next;
  }

  /** Resolves on the next change (send, visibility change) or after `ms`. */
  waitForChange(ms: number) {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.#waiters.add(done);
    });
  }

  notify() {
    for (const wake of [...this.#waiters]) wake();
  }

  #store(messages: StoredMessage[]) {
    for (const m of messages) this.#messages.set(m.messageId, m);
    this.#journal?.put(messages);
    this.notify();
  }

  #deliver(m: StoredMessage, now: number, hideMs: number) {
    m.receiveCount++;
    m.firstReceiveTimestamp ??= now;
    m.visibleAt = now + hideMs;
    m.receipt = randomBytes(12).toString('base64url');
    return m;
  }

  #isExpired(m: StoredMessage, now: number) {
    return m.sentTimestamp + this.options.messageRetentionSeconds * 1000 <= now;
  }

  /** SQS moves a message when a receive would exceed maxReceiveCount. */
  #isOverLimit(m: StoredMessage) {
    const redrive = this.options.deadLetterQueue;
    return redrive !== undefined && m.receiveCount >= redrive.maxReceiveCount;
  }
}
