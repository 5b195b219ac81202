import type { Logger } from '@aws-lambda-powertools/logger';
import type { UpkeepEvent } from '../../../core/events.js';
import type { Outbox, OutboxGuard, OutboxItem } from './outbox.js';
import type { EventPublisher } from './publisher.js';

export interface OutgoingEvent {
  detail: UpkeepEvent;
  /** Not before this time, ms. @default now */
  dueMs?: number;
  guard?: OutboxGuard;
}

/** Decides, when a late or scheduled event is due, whether it still holds. */
export type GuardCheck = (guard: OutboxGuard) => Promise<boolean>;

export interface SweepSummary {
  due: number;
  sent: number;
  cancelled: number;
  failed: number;
}

/**
 * Outbox first, then PutEvents, then "sent":
 *
 *   add (only if absent) ──▶ PutEvents ──ok──▶ settle(sent)
 *        │ existed: a repeat          └─fail─▶ tries+1, stays pending
 *        ▼                                      ▼
 *     nothing sent                   the sweep sends it later
 *
 * so a failed put loses nothing and a repeated transition sends nothing.
 */
export class EventSender {
  readonly outbox: Outbox;
  readonly #publisher: EventPublisher;
  readonly #logger: Logger;
  readonly #now: () => number;

  constructor(options: {
    outbox: Outbox;
    publisher: EventPublisher;
    logger: Logger;
    now: () => number;
  }) {
    this.outbox = options.outbox;
    this.#publisher = options.publisher;
    this.#logger = options.logger;
    this.#now = options.now;
  }

  /** Resolves the ids that were new (written to the outbox). */
  async send(events: OutgoingEvent[]): Promise<string[]> {
    const nowMs = this.#now();
    const added: OutboxItem[] = [];
    for (const event of events) {
      const item = await this.outbox.add(event.detail, {
        nowMs,
        ...(event.dueMs === undefined ? {} : { dueMs: event.dueMs }),
        ...(event.guard ? { guard: event.guard } : {}),
      });
      if (item) added.push(item);
    }
    await this.#publish(added.filter((item) => item.dueMs <= nowMs));
    return added.map((item) => item.eventId);
  }

  /**
   * Sends what is pending and due: failed puts, events whose writer
   * stopped before publishing, scheduled ones. Items younger than
   * `graceMs` are left to the writer still publishing them.
   */
  async sweep(check: GuardCheck, graceMs = 60_000): Promise<SweepSummary> {
    const nowMs = this.#now();
    const due = await this.outbox.due(nowMs);
    const summary: SweepSummary = {
      due: due.length,
      sent: 0,
      cancelled: 0,
      failed: 0,
    };
    const ready: OutboxItem[] = [];
    for (const item of due) {
      const late =
        item.dueMs > item.createdMs || item.createdMs < nowMs - graceMs;
      if (!late) continue;
      if (item.guard && !(await check(item.guard))) {
        await this.outbox.settle(item, 'cancelled', nowMs);
        summary.cancelled++;
        continue;
      }
      ready.push(item);
    }
    const failed = await this.#publish(ready);
    summary.sent = ready.length - failed;
    summary.failed = failed;
    return summary;
  }

  async #publish(items: OutboxItem[]): Promise<number> {
    if (items.length === 0) return 0;

    let rejected: Map<string, string>;
    try {
      rejected = await this.#publisher.publish(items.map((i) => i.detail));
    } catch (error) {
      rejected = new Map(items.map((i) => [i.eventId, String(error)]));
    }
    const nowMs = this.#now();
    for (const item of items) {
      const reason = rejected.get(item.eventId);
      if (reason === undefined) {
        await this.outbox.settle(item, 'sent', nowMs);
        this.#logger.info('event published', {
          eventId: item.eventId,
          type: item.detail.type,
          clientId: item.detail.clientId,
        });
        continue;
      }
      await this.outbox.recordFailure(item, reason);
      // Degraded, not lost: the event stays pending and the sweep retries.
      this.#logger.warn('event publish failed, left in the outbox', {
        eventId: item.eventId,
        type: item.detail.type,
        error: reason,
      });
    }
    return rejected.size;
  }
}
