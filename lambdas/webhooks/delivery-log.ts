import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';

/** One delivery attempt as the API shows it. */
export interface DeliveryRecord {
  subscriptionId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  at: string;
  /** delivered | retrying | rejected | dead-lettered */
  result: 'delivered' | 'retrying' | 'rejected' | 'dead-lettered';
  /** The receiver's HTTP status; null when none came back. */
  status: number | null;
  latencyMs: number;
  error: string | null;
  /** When the next attempt is due, for `retrying`. */
  nextAttemptAt: string | null;
}

export const deliveryLogDefaults = {
  /** Attempts are kept this long, s. */
  retentionSeconds: 30 * 24 * 3600,
  pageSize: 50,
} as const;

/** WEBHOOK#<id> / DELIVERY#<at ms>#<eventId>#<attempt>, newest last. */
export class DeliveryLog {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#table = tableName;
  }

  async record(entry: DeliveryRecord) {
    const atMs = Date.parse(entry.at);
    await this.#doc.send(
      new PutCommand({
        TableName: this.#table,
        Item: {
          pk: `WEBHOOK#${entry.subscriptionId}`,
          sk:
            `DELIVERY#${String(atMs).padStart(13, '0')}#${entry.eventId}#` +
            String(entry.attempt).padStart(2, '0'),
          ...entry,
          expiresAt:
            Math.floor(atMs / 1000) + deliveryLogDefaults.retentionSeconds,
        },
      }),
    );
  }

  /** The newest attempts first. */
  async list(
    subscriptionId: string,
    limit: number = deliveryLogDefaults.pageSize,
  ) {
    const page = await this.#doc.send(
      new QueryCommand({
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': `WEBHOOK#${subscriptionId}`,
          ':prefix': 'DELIVERY#',
        },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map(
      ({ pk: _pk, sk: _sk, expiresAt: _e, ...rest }) => rest as DeliveryRecord,
    );
  }
}
