import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { EmergencyApproval } from '../../core/patches/approval.js';
import { keys } from '../../core/table.js';
import { applied } from '../lib/conditional.js';
import type { CheckItem, FindingItem, MetaItem } from '../lib/items.js';
import { queryAll } from '../lib/query-all.js';
import {
  type ApprovalItem,
  type DeployItem,
  patchKeys,
  type WaveItem,
} from './items.js';

/** Patch Doctor's reads and writes of the table (items.ts). */
export class PatchStore {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#table = tableName;
  }

  async clients(): Promise<string[]> {
    const items = await this.#query({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.clients() },
    });
    return items.map((i) => String(i.clientId));
  }

  async devices(clientId: string): Promise<MetaItem[]> {
    return await this.#query<MetaItem>({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.client(clientId),
        ':prefix': 'DEVICE#',
      },
    });
  }

  async assessment(thingName: string): Promise<CheckItem | undefined> {
    return (await this.#get(
      keys.device(thingName),
      keys.check('patch-assessment'),
    )) as CheckItem | undefined;
  }

  /** Open findings of failed installs (Windows Update codes). */
  async failedUpdates(thingName: string): Promise<FindingItem[]> {
    const items = await this.#query<FindingItem>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: '#status <> :resolved',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':pk': keys.device(thingName),
        ':prefix': 'FINDING#wu.',
        ':resolved': 'resolved',
      },
    });
    return items.filter((f) => f.check === 'patch-assessment');
  }

  /**
   * Finish time of the newest stored assessment whose search ran (its
   * verdict is not unknown). Report ids are ULIDs, so newest first is
   * the key order backwards.
   */
  async lastGoodAssessment(thingName: string): Promise<string | undefined> {
    const latest = await this.assessment(thingName);
    if (latest && latest.verdict !== 'unknown') return latest.finishedAt;
    const report = await this.#first({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: '#check = :check AND verdict <> :unknown',
      ExpressionAttributeNames: { '#check': 'check' },
      ExpressionAttributeValues: {
        ':pk': keys.device(thingName),
        ':prefix': 'REPORT#',
        ':check': 'patch-assessment',
        ':unknown': 'unknown',
      },
      ScanIndexForward: false,
    });
    return report?.finishedAt as string | undefined;
  }

  async deployments(thingName: string, wave: string): Promise<DeployItem[]> {
    return await this.#query<DeployItem>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.device(thingName),
        ':prefix': `PATCHDEPLOY#${wave}#`,
      },
    });
  }

  putDeployment(item: DeployItem) {
    return this.#putOnce(item);
  }

  async wave(clientId: string, wave: string) {
    return (await this.#get(keys.client(clientId), patchKeys.wave(wave))) as
      | WaveItem
      | undefined;
  }

  /** Writes the wave if nobody wrote it since `item.revision` was read. */
  putWave(item: WaveItem) {
    return applied(
      this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...item, revision: item.revision + 1 },
          ConditionExpression:
            item.revision === 0
              ? 'attribute_not_exists(pk)'
              : 'revision = :revision',
          ExpressionAttributeValues:
            item.revision === 0 ? undefined : { ':revision': item.revision },
        }),
      ),
    );
  }

  async emergencies(clientId: string): Promise<EmergencyApproval[]> {
    const items = await this.#query<ApprovalItem>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.client(clientId),
        ':prefix': 'PATCHAPPROVAL#',
      },
    });
    return items.map((i) => ({
      clientId: i.clientId,
      id: i.id,
      approvedAt: i.approvedAt,
      expiresAt: i.expiresAtIso,
      ...(i.approvedBy ? { approvedBy: i.approvedBy } : {}),
      ...(i.reason ? { reason: i.reason } : {}),
    }));
  }

  /** One emergency approval per client and update; a new one replaces it. */
  async putEmergency(approval: EmergencyApproval) {
    const item: ApprovalItem = {
      pk: keys.client(approval.clientId),
      sk: patchKeys.approval(approval.id),
      clientId: approval.clientId,
      id: approval.id,
      approvedAt: approval.approvedAt,
      expiresAtIso: approval.expiresAt,
      ...(approval.approvedBy ? { approvedBy: approval.approvedBy } : {}),
      ...(approval.reason ? { reason: approval.reason } : {}),
      expiresAt: Math.ceil(Date.parse(approval.expiresAt) / 1000),
    };
    await this.#doc.send(
      new PutCommand({ TableName: this.#table, Item: item }),
    );
    return item;
  }

  #putOnce(item: { pk: string; sk: string }) {
    return applied(
      this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async #get(pk: string, sk: string) {
    const { Item } = await this.#doc.send(
      new GetCommand({ TableName: this.#table, Key: { pk, sk } }),
    );
    return Item;
  }

  #query<T = Record<string, unknown>>(
    input: Omit<QueryCommandInput, 'TableName'>,
  ): Promise<T[]> {
    return queryAll<T>(this.#doc, this.#table, input);
  }

  /** The first item of a query that passes its filter, page by page. */
  async #first(input: Omit<QueryCommandInput, 'TableName'>) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#doc.send(
        new QueryCommand({
          ...input,
          TableName: this.#table,
          ExclusiveStartKey: startKey,
        }),
      );
      if (page.Items?.[0]) return page.Items[0];
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return undefined;
  }
}
