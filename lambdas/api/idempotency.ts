import { createHash } from 'node:crypto';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import { canonicalJson } from '../../core/policy-inheritance.js';
import { keys } from '../../core/table.js';
import { applied } from '../lib/conditional.js';
import { ApiError } from './responses.js';
import type { ApiResult } from './route-types.js';

/**
 * `Idempotency-Key` on POST: the first request with a key runs and its
 * answer is kept; a repeat with the same key and the same request gets
 * that answer again (header `idempotent-replayed: true`); the same key
 * with another request is 422. Keys are per caller (scope and subject),
 * so one tenant cannot replay another's answer. An answer of 500 or more
 * is not kept: the caller may retry with the same key.
 *
 *   put in-progress (only if absent or expired)
 *     ├─ applied ──▶ run ──▶ put done {status, body} │ 5xx: delete
 *     └─ exists ──▶ other request: 422 │ in progress: 409 │ done: replay
 */
export const idempotencyDefaults = {
  /** How long a key is remembered, s. */
  ttlSeconds: 24 * 3600,
  maxKeyLength: 255,
} as const;

const KEY_PATTERN = /^[\x21-\x7e]+$/;

interface KeptAnswer {
  requestHash: string;
  state: 'in-progress' | 'done';
  result?: ApiResult;
  expiresAt: number;
}

export class ApiIdempotency {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#table = tableName;
  }

  async run(
    input: { key: string; caller: string; request: unknown; nowMs: number },
    work: () => Promise<ApiResult>,
  ): Promise<ApiResult> {
    checkKey(input.key);
    const itemKey = this.#itemKey(input.caller, input.key);
    const requestHash = sha256(canonicalJson(input.request));
    const nowS = Math.floor(input.nowMs / 1000);

    const claimed = await this.#claim(itemKey, requestHash, nowS);
    if (!claimed) return this.#answerRepeat(itemKey, requestHash);

    let result: ApiResult;
    try {
      result = await work();
    } catch (error) {
      await this.#release(itemKey);
      throw error;
    }
    if (result.status >= 500) await this.#release(itemKey);
    else await this.#store(itemKey, requestHash, result, nowS);
    return result;
  }

  #itemKey(caller: string, key: string) {
    const id = sha256(`api\u0000${caller}\u0000${key}`);
    return { pk: keys.idempotency(`api.${id}`), sk: keys.idempotencySort() };
  }

  #claim(itemKey: object, requestHash: string, nowS: number) {
    return applied(
      this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            ...itemKey,
            requestHash,
            state: 'in-progress',
            expiresAt: nowS + idempotencyDefaults.ttlSeconds,
          },
          // An expired record the TTL sweep has not removed yet is free.
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': nowS },
        }),
      ),
    );
  }

  async #answerRepeat(
    itemKey: object,
    requestHash: string,
  ): Promise<ApiResult> {
    const { Item } = await this.#doc.send(
      new GetCommand({
        TableName: this.#table,
        Key: itemKey,
        ConsistentRead: true,
      }),
    );
    const record = Item as KeptAnswer | undefined;
    if (record && record.requestHash !== requestHash) {
      throw new ApiError(
        422,
        'idempotency-key-reused',
        'this Idempotency-Key was used for another request',
      );
    }
    if (record?.state !== 'done' || !record.result) {
      throw new ApiError(
        409,
        'idempotency-key-in-progress',
        'a request with this Idempotency-Key is still running',
      );
    }
    const { result } = record;
    return {
      ...result,
      headers: { ...result.headers, 'idempotent-replayed': 'true' },
    };
  }

  async #store(
    itemKey: object,
    requestHash: string,
    result: ApiResult,
    nowS: number,
  ) {
    await this.#doc.send(
      new PutCommand({
        TableName: this.#table,
        Item: {
          ...itemKey,
          requestHash,
          state: 'done',
          result,
          expiresAt: nowS + idempotencyDefaults.ttlSeconds,
        },
      }),
    );
  }

  async #release(itemKey: object) {
    await this.#doc.send(
      new DeleteCommand({ TableName: this.#table, Key: itemKey }),
    );
  }
}

function checkKey(key: string) {
  if (key.length <= idempotencyDefaults.maxKeyLength && KEY_PATTERN.test(key)) {
    return;
  }
  throw new ApiError(
    400,
    'invalid-idempotency-key',
    `Idempotency-Key must be 1-${idempotencyDefaults.maxKeyLength} ` +
      'printable ASCII characters',
  );
}

function sha256(text: string) {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
