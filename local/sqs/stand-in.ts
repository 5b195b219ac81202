import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { SqsStandInError } from './errors.js';
import { Journal } from './journal.js';
import {
  type PollOptions,
  type QueuePoller,
  type SqsBatchHandler,
  startPoller,
} from './poller.js';
import { Queue } from './queue.js';
import { type QueueOptions, queueDefaults } from './types.js';

/** The account id in every queue URL and ARN. */
export const LOCAL_ACCOUNT_ID = '000000000000';
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_WAIT_SECONDS = 20;

export interface ReceiveOptions {
  /** 1-10. */
  max: number;
  visibilityTimeoutSeconds?: number;
  /** Long-poll wait, seconds; the queue's default when omitted. */
  waitTimeSeconds?: number;
  /** Ends a long poll early when it returns true (checked on wake-up). */
  until?: () => boolean;
}

/**
 * The queues, their redrive and long polling, without HTTP: server.ts puts
 * the SQS JSON protocol in front of it and poller.ts feeds handlers from it.
 * It emits `error` for faults of its own and never logs.
 */
export class SqsStandIn extends EventEmitter {
  readonly region: string;
  readonly #stateDir: string | undefined;
  readonly #queues = new Map<string, Queue>();
  readonly #pollers = new Set<QueuePoller>();
  #endpoint = '';
  #server: Server | undefined;
  #closed = false;

  constructor(options: { stateDir?: string; region?: string } = {}) {
    super();
    this.region = options.region ?? 'us-east-1';
    this.#stateDir = options.stateDir;
    if (this.#stateDir) mkdirSync(this.#stateDir, { recursive: true });
  }

  get endpoint() {
    return this.#endpoint;
  }

  get closed() {
    return this.#closed;
  }

  /** Called once by createSqsStandIn after the server listens. */
  attach(server: Server, endpoint: string) {
    this.#server = server;
    this.#endpoint = endpoint;
  }

  queueUrl(name: string) {
    return `${this.#endpoint}/${LOCAL_ACCOUNT_ID}/${name}`;
  }

  queueArn(name: string) {
    return `arn:aws:sqs:${this.region}:${LOCAL_ACCOUNT_ID}:${name}`;
  }

  /**
   * Creates the queue, or updates the options of an existing one, loading
   * its persisted messages. A dead-letter queue must exist first.
   */
  createQueue(name: string, options: QueueOptions = {}) {
    if (!QUEUE_NAME.test(name)) {
      throw new SqsStandInError(
        'invalid-parameter',
        `Queue name must be 1-80 of [A-Za-z0-9_-], got "${name}"`,
      );
    }
    const dlq = options.deadLetterQueue;
    if (dlq) this.getQueue(dlq.name);
    const resolved = { ...queueDefaults, ...definedOnly(options) };

    const existing = this.#queues.get(name);
    if (existing) {
      existing.options = resolved;
      return this.queueUrl(name);
    }
    const journal = this.#stateDir
      ? new Journal(join(this.#stateDir, `${name}.jsonl`))
      : undefined;
    const queue = new Queue({
      name,
      arn: this.queueArn(name),
      options: resolved,
      journal,
      now: Date.now,
    });
    this.#queues.set(name, queue);
    return this.queueUrl(name);
  }

  getQueue(name: string) {
    const queue = this.#queues.get(name);
    if (!queue) {
      throw new SqsStandInError(
        'queue-does-not-exist',
        `The specified queue does not exist: ${name}`,
      );
    }
    return queue;
  }

  /** Resolves a queue URL; only the last path segment is significant. */
  queueFromUrl(url: unknown) {
    if (typeof url !== 'string') {
      throw new SqsStandInError('invalid-parameter', 'QueueUrl is required');
    }
    const path = url.replace(/^[a-z]+:\/\/[^/]+/i, '').split('/');
    const [, account, name] = path;
    if (path.length !== 3 || account !== LOCAL_ACCOUNT_ID || !name) {
      throw new SqsStandInError(
        'queue-does-not-exist',
        `The specified queue does not exist: ${url}`,
      );
    }
    return this.getQueue(name);
  }

  queueNames() {
    return [...this.#queues.keys()].sort();
  }

  /** Visible, in-flight and delayed message counts of a queue. */
  stats(name: string) {
    return this.getQueue(name).counts();
  }

  /** Receives with redrive and long polling, as ReceiveMessage does. */
  async receive(name: string, options: ReceiveOptions) {
    const queue = this.getQueue(name);
    const wait = Math.min(
      options.waitTimeSeconds ?? queue.options.receiveWaitTimeSeconds,
      MAX_WAIT_SECONDS,
    );
    const deadline = Date.now() + wait * 1000;

    for (;;) {
      const messages = this.#receiveNow(queue, options);
      if (messages.length > 0 || this.#closed || options.until?.()) {
        return messages;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) return messages;
      const next = queue.nextVisibleAt();
      const sleep = next === undefined ? remaining : next - Date.now();
      await queue.waitForChange(Math.min(remaining, sleep));
    }
  }

  /** Starts an in-process event source mapping for `name`. */
  pollQueue(name: string, handler: SqsBatchHandler, options?: PollOptions) {
    const poller = startPoller(this, name, handler, options);
    const tracked: QueuePoller = {
      stop: async () => {
        this.#pollers.delete(tracked);
        await poller.stop();
      },
    };
    this.#pollers.add(tracked);
    return tracked;
  }

  async close() {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#pollers].map((p) => p.stop()));
    for (const queue of this.#queues.values()) queue.notify();
    await closeServer(this.#server);
    for (const queue of this.#queues.values()) queue.close();
  }

  #receiveNow(queue: Queue, options: ReceiveOptions) {
    const { messages, overLimit } = queue.receive(
      options.max,
      options.visibilityTimeoutSeconds,
    );
    const redrive = queue.options.deadLetterQueue;
    if (redrive && overLimit.length > 0) {
      // Into the DLQ first, then out of the source: a crash in between
      // duplicates a message instead of losing it.
      const dlq = this.getQueue(redrive.name);
      for (const m of overLimit) dlq.accept(m, queue.arn);
      queue.remove(overLimit.map((m) => m.messageId));
    }
    return messages;
  }
}

function closeServer(server: Server | undefined) {
  if (!server) return Promise.resolve();
  server.closeIdleConnections();
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
  });
}

/** Drops undefined options so that they do not hide the defaults. */
function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
