import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Volume } from '../../core/schemas/disk.js';
import type { Hello } from '../../core/schemas/hello.js';
import type { Report } from '../../core/schemas/report.js';
import { keys } from '../../core/table.js';
import { applied } from './conditional.js';
import {
  clientItem,
  helloSummary,
  type MetaItem,
  metaItem,
  type VolumeSummary,
} from './items.js';

/**
 * Device registration and what a device says about itself (META). Every
 * write is conditional so that a retry, or an older message arriving late,
 * changes nothing.
 */
export class DeviceRegistry {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#table = tableName;
  }

  async getMeta(thingName: string): Promise<MetaItem | undefined> {
    const { Item } = await this.#doc.send(
      new GetCommand({
        TableName: this.#table,
        Key: { pk: keys.device(thingName), sk: keys.meta() },
        ConsistentRead: true,
      }),
    );
    return Item as MetaItem | undefined;
  }

  /**
   * Registers a device under a client unless it is registered already;
   * returns the stored registration (the first one wins a race).
   */
  async register(thingName: string, clientId: string, atMs: number) {
    const at = new Date(atMs).toISOString();
    await applied(
      this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: clientItem(clientId, at),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    await applied(
      this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: metaItem(thingName, clientId, at),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );

    const meta = await this.getMeta(thingName);
    if (!meta) throw new Error(`registration of ${thingName} not readable`);
    return meta;
  }

  /** Moves lastSeen forward only; an older message leaves it alone. */
  touchLastSeen(thingName: string, receivedAtMs: number) {
    return applied(
      this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: keys.device(thingName), sk: keys.meta() },
          UpdateExpression: 'SET lastSeenAt = :at, lastSeenMs = :ms',
          ConditionExpression:
            'attribute_exists(pk) AND ' +
            '(attribute_not_exists(lastSeenMs) OR lastSeenMs < :ms)',
          ExpressionAttributeValues: {
            ':at': new Date(receivedAtMs).toISOString(),
            ':ms': receivedAtMs,
          },
        }),
      ),
    );
  }

  /**
   * Keeps the latest disk-space figures on the registration item, so that a
   * device listing shows every volume without a read per device. Ordered by
   * the report's finish time; an older report leaves them alone.
   */
  recordVolumes(thingName: string, report: Report) {
    if (report.check !== 'disk-space') return Promise.resolve(false);

    const finishedMs = Date.parse(report.finishedAt);
    return applied(
      this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: keys.device(thingName), sk: keys.meta() },
          UpdateExpression: 'SET volumes = :volumes, volumesAtMs = :ms',
          ConditionExpression:
            'attribute_exists(pk) AND ' +
            '(attribute_not_exists(volumesAtMs) OR volumesAtMs < :ms)',
          ExpressionAttributeValues: {
            ':volumes': report.data.volumes.map(volumeSummary),
            ':ms': finishedMs,
          },
        }),
      ),
    );
  }

  /** Stores the hello unless a later one (by broker time) is stored. */
  recordHello(thingName: string, hello: Hello, receivedAtMs: number) {
    return applied(
      this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: keys.device(thingName), sk: keys.meta() },
          UpdateExpression: 'SET hello = :hello, helloAtMs = :ms',
          ConditionExpression:
            'attribute_exists(pk) AND ' +
            '(attribute_not_exists(helloAtMs) OR helloAtMs < :ms)',
          ExpressionAttributeValues: {
            ':hello': helloSummary(hello),
            ':ms': receivedAtMs,
          },
        }),
      ),
    );
  }
}

function volumeSummary(volume: Volume): VolumeSummary {
  return {
    id: volume.id,
    mount: volume.mount ?? null,
    role: volume.role,
    totalBytes: volume.totalBytes,
    freeBytes: volume.freeBytes,
    availableBytes: volume.availableBytes,
  };
}
