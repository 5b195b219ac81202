import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { keys } from '../../core/table.js';
import type { FindingItem, MetaItem, ReportItem } from './items.js';
import { queryAll } from './query-all.js';

/**
 * What the HTTP API reads beyond DeviceReader: a client's whole gsi1
 * partition (its devices and unresolved findings, one query), its own
 * partition (policy layer and sites), a device's report history page by
 * page, one finding. Every read is a key lookup or a query; nothing scans.
 */
export interface ClientIndex {
  devices: MetaItem[];
  /** Unresolved findings (gsi1 is sparse: resolved ones drop out). */
  findings: FindingItem[];
}

export interface SiteItem {
  pk: string;
  sk: string;
  clientId: string;
  siteId: string;
  updatedAt?: string;
}

export interface HistoryPage {
  reports: ReportItem[];
  /** The sort key to continue after, when DynamoDB has more. */
  lastSk?: string;
}

export class ApiReader {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#table = tableName;
  }

  async clientIndex(clientId: string): Promise<ClientIndex> {
    const items = await this.#queryAll<Record<string, unknown>>({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.client(clientId) },
    });
    const prefixed = (prefix: string) =>
      items.filter((i) => String(i.gsi1sk).startsWith(prefix));
    return {
      devices: prefixed('DEVICE#') as unknown as MetaItem[],
      findings: prefixed('FINDING#') as unknown as FindingItem[],
    };
  }

  async client(clientId: string) {
    const { Item } = await this.#doc.send(
      new GetCommand({
        TableName: this.#table,
        Key: { pk: keys.clients(), sk: keys.client(clientId) },
      }),
    );
    return Item as { clientId: string; createdAt: string } | undefined;
  }

  sites(clientId: string): Promise<SiteItem[]> {
    return this.#queryAll<SiteItem>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.client(clientId),
        ':prefix': 'SITE#',
      },
    }).then((items) =>
      items.map((i) => ({ ...i, siteId: i.sk.slice('SITE#'.length) })),
    );
  }

  async meta(thingName: string): Promise<MetaItem | undefined> {
    const { Item } = await this.#doc.send(
      new GetCommand({
        TableName: this.#table,
        Key: { pk: keys.device(thingName), sk: keys.meta() },
      }),
    );
    return Item as MetaItem | undefined;
  }

  async finding(thingName: string, code: string, subject: string) {
    const { Item } = await this.#doc.send(
      new GetCommand({
        TableName: this.#table,
        Key: { pk: keys.device(thingName), sk: keys.finding(code, subject) },
        ConsistentRead: true,
      }),
    );
    return Item as FindingItem | undefined;
  }

  /** Newest first (report ids are ULIDs, so sort order is time order). */
  async history(
    thingName: string,
    options: { limit: number; afterSk?: string; check?: string },
  ): Promise<HistoryPage> {
    const pk = keys.device(thingName);
    const page = await this.#doc.send(
      new QueryCommand({
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': pk,
          ':prefix': 'REPORT#',
          ...(options.check ? { ':check': options.check } : {}),
        },
        ...(options.check
          ? {
              FilterExpression: '#check = :check',
              ExpressionAttributeNames: { '#check': 'check' },
            }
          : {}),
        ScanIndexForward: false,
        Limit: options.limit,
        ExclusiveStartKey: options.afterSk
          ? { pk, sk: options.afterSk }
          : undefined,
      }),
    );
    const last = page.LastEvaluatedKey?.sk;
    return {
      reports: (page.Items ?? []) as ReportItem[],
      ...(typeof last === 'string' ? { lastSk: last } : {}),
    };
  }

  #queryAll<T>(input: Omit<QueryCommandInput, 'TableName'>) {
    return queryAll<T>(this.#doc, this.#table, input);
  }
}
