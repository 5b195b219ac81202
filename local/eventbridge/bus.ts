import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { type EventPattern, matchesPattern } from './pattern.js';

/** The event a rule target receives, as EventBridge shapes it. */
export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

export interface LocalRule {
  name: string;
  pattern: EventPattern;
  /** Delivers one matching event (an SQS SendMessage, a handler). */
  target: (event: BusEvent) => Promise<void>;
}

export interface PutEntry {
  EventBusName?: string;
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Time?: number | string;
  Resources?: string[];
}

export type PutResult =
  | { EventId: string }
  | {
      ErrorCode: string;
      ErrorMessage: string;
    };

export const localBusDefaults = {
  /** Target deliveries tried before the event is given up, as a count. */
  targetAttempts: 3,
  /** Wait before the second try, ms; doubles each time. */
  retryBaseMs: 200,
} as const;

/**
 * One custom event bus and its rules. PutEvents entries are checked the
 * way EventBridge checks them (bus name, source, detail-type, detail JSON
 * object), then every rule whose pattern matches gets the event. A target
 * that fails is retried with backoff and then reported as
 * `delivery-failed`; the put itself has succeeded by then, as in AWS.
 * It never logs; it emits `delivered`, `delivery-failed` and, from the
 * server, `fault` (a request it could not answer).
 */
export class LocalEventBus extends EventEmitter {
  readonly name: string;
  readonly region: string;
  readonly account: string;
  readonly #rules: LocalRule[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  readonly #retryBaseMs: number;

  constructor(options: {
    name: string;
    region: string;
    account: string;
    retryBaseMs?: number;
  }) {
    super();
    this.name = options.name;
    this.region = options.region;
    this.account = options.account;
    this.#retryBaseMs = options.retryBaseMs ?? localBusDefaults.retryBaseMs;
  }

  get arn() {
    return `arn:aws:events:${this.region}:${this.account}:event-bus/${this.name}`;
  }

  addRule(rule: LocalRule) {
    this.#rules.push(rule);
  }

  put(entries: PutEntry[]): PutResult[] {
    return entries.map((entry) => {
      const problem = this.#invalid(entry);
      if (problem)
        return { ErrorCode: 'InvalidArgument', ErrorMessage: problem };

      const event = this.#eventOf(entry);
      for (const rule of this.#rules) {
        if (!matchesPattern(rule.pattern, event)) continue;
        this.#track(this.#deliver(rule, event));
      }
      return { EventId: event.id };
    });
  }

  /** Resolves once every delivery started so far has ended. */
  async drain() {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  #invalid(entry: PutEntry) {
    if (entry.EventBusName && !this.#names(entry.EventBusName)) {
      return `Event bus ${entry.EventBusName} does not exist.`;
    }
    if (!entry.Source) return 'Parameter Source is not valid.';
    if (!entry.DetailType) return 'Parameter DetailType is not valid.';
    try {
      const detail = JSON.parse(entry.Detail ?? '');
      if (typeof detail !== 'object' || detail === null) throw new Error();
    } catch {
      return 'Parameter Detail is not valid.';
    }
    return undefined;
  }

  #names(busName: string) {
    return busName === this.name || busName === this.arn;
  }

  #eventOf(entry: PutEntry): BusEvent {
    const time =
      entry.Time === undefined
        ? new Date()
        : new Date(
            typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time,
          );
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType ?? '',
      source: entry.Source ?? '',
      account: this.account,
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.region,
      resources: entry.Resources ?? [],
      detail: JSON.parse(entry.Detail ?? '{}'),
    };
  }

  async #deliver(rule: LocalRule, event: BusEvent) {
    let lastError: unknown;
    for (
      let attempt = 1;
      attempt <= localBusDefaults.targetAttempts;
      attempt++
    ) {
      try {
        await rule.target(event);
        this.emit('delivered', { rule: rule.name, eventId: event.id });
        return;
      } catch (error) {
        lastError = error;
        await sleep(this.#retryBaseMs * 2 ** (attempt - 1));
      }
    }
    this.emit('delivery-failed', {
      rule: rule.name,
      eventId: event.id,
      error: lastError,
    });
  }

  #track(delivery: Promise<void>) {
    this.#inFlight.add(delivery);
    void delivery.finally(() => this.#inFlight.delete(delivery));
  }
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
