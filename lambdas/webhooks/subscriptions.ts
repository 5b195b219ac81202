import { randomBytes } from 'node:crypto';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { EventType } from '../../core/events.js';
import { ulid } from '../../core/ulid.js';
import { applied } from '../lib/conditional.js';
import { newWebhookSecret, type SecretBox } from './secret-box.js';

/**
 * Webhook subscriptions in the single table (docs/events.md):
 *
 *   WEBHOOK#<id> / WEBHOOK               the subscription (secret sealed)
 *     gsi1pk = WEBHOOKS#MSP | WEBHOOKS#CLIENT#<clientId>
 *   WEBHOOK#<id> / DELIVERY#<ms>#<event>#<attempt>   delivery log (TTL)
 *
 * An MSP subscription (no clientId) receives every client's events; a
 * client's receives that client's only. Fan-out reads both partitions.
 */
export interface SubscriptionItem {
  pk: string;
  sk: 'WEBHOOK';
  id: string;
  /** Absent: MSP-wide. */
  clientId?: string;
  url: string;
  eventTypes: EventType[];
  sealedSecret: string;
  /** The secret before the last rotation, signed with until graceUntilMs. */
  previousSealedSecret?: string;
  graceUntilMs?: number;
  createdAt: string;
  rotatedAt?: string;
  gsi1pk: string;
  gsi1sk: string;
}

/** What the API shows of a subscription (never the secret). */
export interface SubscriptionView {
  id: string;
  clientId: string | null;
  url: string;
  eventTypes: EventType[];
  createdAt: string;
  rotatedAt: string | null;
}

export const subscriptionDefaults = {
  /** After a rotation the old secret also signs for this long, ms. */
  rotationGraceMs: 24 * 3600 * 1000,
} as const;

export function ownerKey(clientId: string | undefined) {
  return clientId === undefined
    ? 'WEBHOOKS#MSP'
    : `WEBHOOKS#CLIENT#${clientId}`;
}

export class SubscriptionStore {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #box: SecretBox;

  constructor(doc: DynamoDBDocumentClient, tableName: string, box: SecretBox) {
    this.#doc = doc;
    this.#table = tableName;
    this.#box = box;
  }

  /** Resolves the stored item and its secret in plain text (shown once). */
  async create(
    input: { clientId?: string; url: string; eventTypes: EventType[] },
    nowMs: number,
  ) {
    const id = `wh_${ulid(nowMs, randomBytes).toLowerCase()}`;
    const secret = newWebhookSecret();
    const item: SubscriptionItem = {
      pk: `WEBHOOK#${id}`,
      sk: 'WEBHOOK',
      id,
      ...(input.clientId === undefined ? {} : { clientId: input.clientId }),
      url: input.url,
      eventTypes: input.eventTypes,
      sealedSecret: this.#box.seal(secret, id),
      createdAt: new Date(nowMs).toISOString(),
      gsi1pk: ownerKey(input.clientId),
      gsi1sk: `WEBHOOK#${id}`,
    };
    await this.#doc.send(
      new PutCommand({
        TableName: this.#table,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { item, secret };
  }

  async get(id: string) {
    const { Item } = await this.#doc.send(
      new GetCommand({
        TableName: this.#table,
        Key: { pk: `WEBHOOK#${id}`, sk: 'WEBHOOK' },
        ConsistentRead: true,
      }),
    );
    return Item as SubscriptionItem | undefined;
  }

  /** The subscriptions of one owner partition (MSP or one client). */
  async list(clientId: string | undefined) {
    const items: SubscriptionItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#doc.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': ownerKey(clientId) },
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...((page.Items ?? []) as SubscriptionItem[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** Who receives an event of `clientId`: its own and the MSP's. */
  async recipients(clientId: string, type: EventType) {
    const all = [
      ...(await this.list(clientId)),
      ...(await this.list(undefined)),
    ];
    return all.filter((s) => s.eventTypes.includes(type));
  }

  delete(id: string) {
    return applied(
      this.#doc.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: { pk: `WEBHOOK#${id}`, sk: 'WEBHOOK' },
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
    );
  }

  /** A new secret; the old one keeps signing through the grace period. */
  async rotate(item: SubscriptionItem, nowMs: number) {
    const secret = newWebhookSecret();
    await this.#doc.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression:
          'SET sealedSecret = :new, previousSealedSecret = :old, ' +
          'graceUntilMs = :grace, rotatedAt = :at',
        ConditionExpression: 'sealedSecret = :old',
        ExpressionAttributeValues: {
          ':new': this.#box.seal(secret, item.id),
          ':old': item.sealedSecret,
          ':grace': nowMs + subscriptionDefaults.rotationGraceMs,
          ':at': new Date(nowMs).toISOString(),
        },
      }),
    );
    return secret;
  }

  /** The secrets a delivery is signed with, newest first. */
  signingSecrets(item: SubscriptionItem, nowMs: number) {
    const secrets = [this.#box.open(item.sealedSecret, item.id)];
    if (item.previousSealedSecret && (item.graceUntilMs ?? 0) > nowMs) {
      secrets.push(this.#box.open(item.previousSealedSecret, item.id));
    }
    return secrets;
  }
}

export function subscriptionView(item: SubscriptionItem): SubscriptionView {
  return {
    id: item.id,
    clientId: item.clientId ?? null,
    url: item.url,
    eventTypes: item.eventTypes,
    createdAt: item.createdAt,
    rotatedAt: item.rotatedAt ?? null,
  };
}
