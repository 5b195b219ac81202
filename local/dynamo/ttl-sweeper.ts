import { EventEmitter } from 'node:events';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { TABLE } from '../../core/table.js';

export interface TtlSweeperOptions {
  /** Time between sweeps, in ms. @default 60_000 (one minute) */
  intervalMs?: number;
  /** Clock, ms since the epoch. @default Date.now */
  now?: () => number;
}

const defaults = { intervalMs: 60_000 } as const;

/**
 * Stands in for DynamoDB TTL, which dynalite lacks: deletes every item whose
 * `expiresAt` (seconds since the epoch, as DynamoDB TTL reads it) has passed.
 * Like the real TTL it is eventual: an expired item may be read until the
 * next sweep. A full scan is acceptable on a local table; AWS never runs it.
 *
 * Events: `swept` (number of deleted items) after each sweep, `error` when a
 * sweep fails (the sweeper keeps its timer).
 */
export class TtlSweeper extends EventEmitter {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #now: () => number;
  readonly #timer: NodeJS.Timeout;

  constructor(
    client: DynamoDBClient,
    tableName: string,
    options: TtlSweeperOptions = {},
  ) {
    super();
    this.#client = client;
    this.#tableName = tableName;
    this.#now = options.now ?? Date.now;
    const intervalMs = options.intervalMs ?? defaults.intervalMs;
    this.#timer = setInterval(() => this.#tick(), intervalMs);
    this.#timer.unref();
  }

  /** Runs one sweep now; resolves with the number of deleted items. */
  async sweep(): Promise<number> {
    const nowSeconds = Math.floor(this.#now() / 1000);
    let deleted = 0;
    let startKey: Record<string, AttributeValue> | undefined;

    do {
      const page = await this.#client.send(
        new ScanCommand({
          TableName: this.#tableName,
          ...expiredCondition(nowSeconds, true),
          FilterExpression: '#ttl < :now',
          ProjectionExpression: '#pk, #sk',
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        if (await this.#deleteIfExpired(item, nowSeconds)) deleted++;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);

    this.emit('swept', deleted);
    return deleted;
  }

  stop() {
    clearInterval(this.#timer);
  }

  async #tick() {
    try {
      await this.sweep();
    } catch (error) {
      this.emit('error', error);
    }
  }

  async #deleteIfExpired(
    item: Record<string, AttributeValue>,
    nowSeconds: number,
  ) {
    // The condition keeps an item whose expiry was pushed out after the scan.
    try {
      await this.#client.send(
        new DeleteItemCommand({
          TableName: this.#tableName,
          Key: {
            [TABLE.partitionKey]: item[TABLE.partitionKey] as AttributeValue,
            [TABLE.sortKey]: item[TABLE.sortKey] as AttributeValue,
          },
          ...expiredCondition(nowSeconds),
          ConditionExpression: '#ttl < :now',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

/** DynamoDB rejects unused names, so the key names come only with a scan. */
function expiredCondition(nowSeconds: number, withKeyNames = false) {
  const names: Record<string, string> = { '#ttl': TABLE.timeToLiveAttribute };
  if (withKeyNames) {
    names['#pk'] = TABLE.partitionKey;
    names['#sk'] = TABLE.sortKey;
  }
  return {
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: { ':now': { N: String(nowSeconds) } },
  };
}

/** Starts a sweeper; call `stop()` on shutdown. */
export function startTtlSweeper(
  client: DynamoDBClient,
  tableName: string,
  options?: TtlSweeperOptions,
) {
  return new TtlSweeper(client, tableName, options);
}
