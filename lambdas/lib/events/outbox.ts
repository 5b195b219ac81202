import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { UpkeepEvent } from '../../../core/events.js';
import { applied } from '../conditional.js';

/**
 * The event outbox in the single table. An event is written here, only if
 * absent, before it is published; publishing then marks it sent. Pending
 * items sit in gsi1 under one of a few shard partitions, ordered by when
 * they are due, so the sweep finds what a failed put left behind:
 *
 *   EVENT#<eventId> / EVENT
 *     gsi1pk = OUTBOX#<0..7>   gsi1sk = <dueMs, 13 digits>#<eventId>
 *
 * A sent item drops its gsi1 keys (the index stays sparse) and expires by
 * TTL after `sentRetentionSeconds`; until then a repeat of the same
 * transition finds it and sends nothing.
 */
export const outboxDefaults = {
  shards: 8,
  /** A sent event is remembered this long, s (longer than any redelivery). */
  sentRetentionSeconds: 30 * 24 * 3600,
} as const;

/** What must still hold when a pending event is sent late. */
export interface OutboxGuard {
  /** The FINDING item the event is about. */
  pk: string;
  sk: string;
  ticketId: string;
  /** The ticket revision whose decision wrote the event. */
  rev: number;
  /** For a scheduled resolved(stable): the resolution it stands for. */
  resolvedAtMs?: number;
}

export interface OutboxItem {
  pk: string;
  sk: 'EVENT';
  eventId: string;
  detail: UpkeepEvent;
  status: 'pending' | 'sent' | 'cancelled';
  dueMs: number;
  createdMs: number;
  tries: number;
  guard?: OutboxGuard;
  lastError?: string;
  gsi1pk?: string;
  gsi1sk?: string;
  expiresAt?: number;
}

export class Outbox {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#table = tableName;
  }

  /** Resolves the item when it was new, undefined when it existed. */
  async add(
    detail: UpkeepEvent,
    options: { nowMs: number; dueMs?: number; guard?: OutboxGuard },
  ): Promise<OutboxItem | undefined> {
    const dueMs = options.dueMs ?? options.nowMs;
    const item: OutboxItem = {
      pk: `EVENT#${detail.id}`,
      sk: 'EVENT',
      eventId: detail.id,
      detail,
      status: 'pending',
      dueMs,
      createdMs: options.nowMs,
      tries: 0,
      ...(options.guard ? { guard: options.guard } : {}),
      gsi1pk: `OUTBOX#${shardOf(detail.id)}`,
      gsi1sk: dueKey(dueMs, detail.id),
    };
    const added = await applied(
      this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    return added ? item : undefined;
  }

  /** Out of the pending index; remembered until TTL. */
  settle(item: OutboxItem, status: 'sent' | 'cancelled', nowMs: number) {
    return applied(
      this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression:
            'SET #status = :status, settledMs = :now, expiresAt = :exp ' +
            'REMOVE gsi1pk, gsi1sk',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': status,
            ':now': nowMs,
            ':pending': 'pending',
            ':exp':
              Math.floor(nowMs / 1000) + outboxDefaults.sentRetentionSeconds,
          },
        }),
      ),
    );
  }

  /** A failed publish: counted, left pending for the sweep. */
  async recordFailure(item: OutboxItem, error: string) {
    await applied(
      this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET lastError = :error ADD tries :one',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':error': error.slice(0, 500),
            ':one': 1,
            ':pending': 'pending',
          },
        }),
      ),
    );
  }

  /** Pending items due by `dueBeforeMs`, every shard, oldest first each. */
  async due(dueBeforeMs: number, limitPerShard = 100) {
    const found: OutboxItem[] = [];
    for (let shard = 0; shard < outboxDefaults.shards; shard++) {
      const page = await this.#doc.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk < :before',
          ExpressionAttributeValues: {
            ':pk': `OUTBOX#${shard}`,
            ':before': dueKey(dueBeforeMs, ''),
          },
          Limit: limitPerShard,
        }),
      );
      found.push(...((page.Items ?? []) as OutboxItem[]));
    }
    return found;
  }
}

function dueKey(dueMs: number, eventId: string) {
  return `${String(Math.max(0, dueMs)).padStart(13, '0')}#${eventId}`;
}

function shardOf(eventId: string) {
  let sum = 0;
  for (const char of eventId.slice(-4)) sum += char.charCodeAt(0);
  return sum % outboxDefaults.shards;
}
