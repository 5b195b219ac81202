import {
  type DynamoDBDocumentClient,
  GetCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { applied } from '../conditional.js';
import { type FindingKey, FindingLifecycle } from '../finding-lifecycle.js';
import type { FindingItem } from '../items.js';
import { emissionDetail, openedEventId } from './event-details.js';
import type { EventSender, OutgoingEvent } from './event-sender.js';
import type { OutboxGuard } from './outbox.js';
import { remediationExhaustedEvent, withExhaustion } from './patch-events.js';
import { decideTicket, type TicketState } from './ticket.js';

/** A FINDING item with the ticket this module keeps on it. */
export type TicketedFinding = FindingItem & { ticket?: TicketState };

/**
 * Turns finding state into events. It compares what the FINDING item says
 * now with the ticket it last reconciled (ticket.ts), so it does not care
 * which write changed the finding (ingest, the remedy loop, the sweep) nor
 * how often it is asked: the same state gives the same decision, the same
 * event ids and, after the first time, nothing new.
 *
 *   read finding ─▶ decide ─▶ outbox (only if absent) ─▶ ticket CAS on rev
 *                                                     ─▶ publish
 *
 * The outbox write comes before the ticket write, so a crash between them
 * loses nothing: the retry decides the same and finds the events written.
 * A Patch Doctor chain that ended without a fix adds
 * `patch.remediation-exhausted`, once per occurrence (patch-events.ts).
 */
export class FindingEvents {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #sender: EventSender;
  readonly #windowMs: number;
  readonly #findings: FindingLifecycle;

  constructor(options: {
    doc: DynamoDBDocumentClient;
    tableName: string;
    sender: EventSender;
    /** The flapping window, ms. */
    flapWindowMs: number;
  }) {
    this.#doc = options.doc;
    this.#table = options.tableName;
    this.#sender = options.sender;
    this.#windowMs = options.flapWindowMs;
    this.#findings = new FindingLifecycle(options.doc, options.tableName);
  }

  get sender() {
    return this.#sender;
  }

  /**
   * Every finding of one check on a device, after a report of that check
   * was stored: one query of the device's partition, and writes only where
   * a ticket changes.
   */
  async reconcileCheck(thingName: string, check: string) {
    const findings = await this.#findings.ofCheck(thingName, check);
    const sent: string[] = [];
    for (const item of findings) sent.push(...(await this.reconcile(item)));
    return sent;
  }

  /**
   * Findings the caller holds as its own writes left them (ingest, after
   * the report and the remedy loop): no query. One whose ticket would
   * change is read again before deciding, since the events go out before
   * the ticket's compare-and-set and a ticket another report stored since
   * must decide them. An unchanged ticket, the usual case, costs nothing.
   */
  async reconcileHeld(items: readonly TicketedFinding[]) {
    const sent: string[] = [];
    for (const held of items) {
      if (!this.#decide(held)?.next) continue;
      const item = await this.#get({ pk: held.pk, sk: held.sk });
      if (item) sent.push(...(await this.reconcile(item)));
    }
    return sent;
  }

  async reconcileKey(key: FindingKey) {
    const item = await this.#get(key);
    return item ? this.reconcile(item) : [];
  }

  /** Resolves the ids of the events that were new. */
  async reconcile(item: TicketedFinding): Promise<string[]> {
    const decision = this.#decide(item);
    const next = decision?.next;
    if (!decision || !next) return [];

    const guard: OutboxGuard = {
      pk: item.pk,
      sk: item.sk,
      ticketId: next.id,
      rev: next.rev,
    };
    const outgoing: OutgoingEvent[] = decision.emissions.map((emission) => {
      const detail = emissionDetail(item, emission, next.id, this.#windowMs);
      if ('dueMs' in emission) {
        return {
          detail,
          dueMs: emission.dueMs,
          guard: { ...guard, resolvedAtMs: emission.atMs },
        };
      }
      return { detail, guard };
    });
    if (decision.exhausted) {
      const { exhausted } = decision;
      const detail = remediationExhaustedEvent(item, exhausted, next.id);
      outgoing.push({ detail, guard });
    }
    const sent = await this.#sender.send(outgoing);
    await this.#storeTicket(item, next);
    return sent;
  }

  /**
   * Whether a pending event still stands (EventSender.sweep): its ticket
   * decision was stored, and a scheduled resolved(stable) is still the
   * last word on its ticket.
   */
  readonly stillHolds = async (guard: OutboxGuard): Promise<boolean> => {
    const item = await this.#get({ pk: guard.pk, sk: guard.sk });
    const ticket = item?.ticket;
    if (!ticket || ticket.rev < guard.rev) return false;
    if (guard.resolvedAtMs === undefined) return true;
    if (ticket.id !== guard.ticketId) return true;
    return !ticket.present && ticket.resolvedAtMs === guard.resolvedAtMs;
  };

  /**
   * What the ticket makes of the item, with a patch chain's end once per
   * occurrence; undefined for a stateless item.
   */
  #decide(item: TicketedFinding) {
    if (typeof item.stateAtMs !== 'number') return undefined;
    const decision = decideTicket(item.ticket, item, {
      windowMs: this.#windowMs,
      newTicketId: openedEventId(item, item.stateAtMs),
    });
    return withExhaustion(item, decision);
  }

  async #storeTicket(item: TicketedFinding, next: TicketState) {
    const previous = item.ticket;
    await applied(
      this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET ticket = :next',
          ConditionExpression: previous
            ? 'ticket.rev = :rev'
            : 'attribute_not_exists(ticket)',
          ExpressionAttributeValues: {
            ':next': next,
            ...(previous ? { ':rev': previous.rev } : {}),
          },
        }),
      ),
    );
  }

  async #get(key: FindingKey) {
    const { Item } = await this.#doc.send(
      new GetCommand({
        TableName: this.#table,
        Key: key,
        ConsistentRead: true,
      }),
    );
    return Item as TicketedFinding | undefined;
  }
}
