import {
  type DynamoDBDocumentClient,
  GetCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { keys } from '../../core/table.js';
import type { CheckItem, ClientItem, FindingItem, MetaItem } from './items.js';
import { queryAll } from './query-all.js';

export interface DeviceRecord {
  meta: MetaItem;
  checks: CheckItem[];
  /** Open findings only. */
  findings: FindingItem[];
}

/**
 * Read side of the table for the API. Every read is a key lookup or a
 * query on one partition; nothing scans the table.
 */
export class DeviceReader {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#table = tableName;
  }

  async readDevice(thingName: string): Promise<DeviceRecord | undefined> {
    const pk = keys.device(thingName);
    const [meta, checks, findings] = await Promise.all([
      this.#doc.send(
        new GetCommand({
          TableName: this.#table,
          Key: { pk, sk: keys.meta() },
        }),
      ),
      this.#queryAll<CheckItem>(partitionPrefix(pk, 'CHECK#')),
      this.#queryAll<FindingItem>({
        ...partitionPrefix(pk, 'FINDING#'),
        // Unresolved: open, remediating, escalated or suppressed.
        FilterExpression: '#status <> :resolved',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':pk': pk,
          ':prefix': 'FINDING#',
          ':resolved': 'resolved',
        },
      }),
    ]);
    if (!meta.Item) return undefined;
    return { meta: meta.Item as MetaItem, checks, findings };
  }

  /** One client's devices (gsi1), or every client's through CLIENTS. */
  async listDevices(clientId?: string): Promise<MetaItem[]> {
    const clients =
      clientId === undefined
        ? (await this.listClients()).map((c) => c.clientId)
        : [clientId];
    const perClient = await Promise.all(
      clients.map((id) =>
        this.#queryAll<MetaItem>({
          IndexName: 'gsi1',
          KeyConditionExpression:
            'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': keys.client(id),
            ':prefix': 'DEVICE#',
          },
        }),
      ),
    );
    return perClient.flat();
  }

  listClients() {
    return this.#queryAll<ClientItem>({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.clients() },
    });
  }

  #queryAll<T>(input: Omit<QueryCommandInput, 'TableName'>) {
    return queryAll<T>(this.#doc, this.#table, input);
  }
}

function partitionPrefix(pk: string, prefix: string) {
  return {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
  };
}
