import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  cycleGroupOf,
  type PolicyLayerKind,
  type PolicyLayers,
  type PolicyOverride,
  validateOverride,
} from '../../core/index.js';
import { keys } from '../../core/table.js';

/**
 * The policy layers in the table (docs/cycles.md):
 *
 *   POLICY           / MSP              the MSP layer
 *   CLIENT#<client>  / POLICY           a client's layer
 *   CLIENT#<client>  / SITE#<site>      a site, with its layer
 *   DEVICE#<thing>   / POLICY           a device's layer
 *
 * Each item holds `layer` (the override object), `revision` (+1 on every
 * write) and `updatedAt`. A device's site is `siteId` on its META item,
 * written at enrolment.
 */
export type PolicyScope =
  | { kind: 'msp' }
  | { kind: 'client'; clientId: string }
  | { kind: 'site'; clientId: string; siteId: string }
  | { kind: 'device'; thingName: string };

export interface CycleGroupPolicy {
  group: string;
  clientId: string;
  siteId?: string;
  layers: PolicyLayers;
}

export interface LayerItem {
  pk: string;
  sk: string;
  layer: PolicyOverride;
  revision: number;
  updatedAt: string;
}

export function layerKey(scope: PolicyScope) {
  switch (scope.kind) {
    case 'msp':
      return { pk: 'POLICY', sk: 'MSP' };
    case 'client':
      return { pk: keys.client(scope.clientId), sk: 'POLICY' };
    case 'site':
      return { pk: keys.client(scope.clientId), sk: `SITE#${scope.siteId}` };
    case 'device':
      return { pk: keys.device(scope.thingName), sk: 'POLICY' };
  }
}

export class PolicyLayerStore {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#table = tableName;
  }

  async get(scope: PolicyScope): Promise<LayerItem | undefined> {
    const { Item } = await this.#doc.send(
      new GetCommand({ TableName: this.#table, Key: layerKey(scope) }),
    );
    return Item as LayerItem | undefined;
  }

  /** Validates and stores a layer; returns its new revision. */
  async put(scope: PolicyScope, layer: PolicyOverride, atMs: number) {
    validateOverride(scope.kind as PolicyLayerKind, layer);
    const previous = await this.get(scope);
    const revision = (previous?.revision ?? 0) + 1;
    await this.#doc.send(
      new PutCommand({
        TableName: this.#table,
        Item: {
          ...layerKey(scope),
          ...scopeFields(scope),
          layer,
          revision,
          updatedAt: new Date(atMs).toISOString(),
        },
        // Two writers at once: the second retries on a fresh read.
        ConditionExpression: previous
          ? 'revision = :previous'
          : 'attribute_not_exists(pk)',
        ExpressionAttributeValues: previous
          ? { ':previous': previous.revision }
          : undefined,
      }),
    );
    return revision;
  }

  /** Every client and site group with its MSP, client and site layers. */
  async listGroups(): Promise<CycleGroupPolicy[]> {
    const [msp, clients] = await Promise.all([
      this.get({ kind: 'msp' }),
      this.#query(keys.clients(), 'CLIENT#'),
    ]);
    const perClient = await Promise.all(
      clients.map(async (item) => {
        const clientId = String(item.clientId);
        const items = await this.#query(keys.client(clientId), '');
        return groupsOf(clientId, msp?.layer, items);
      }),
    );
    return perClient.flat();
  }

  /** The four layers of a device (its site from META, when set). */
  async deviceLayers(
    thingName: string,
    clientId: string,
    siteId?: string,
  ): Promise<PolicyLayers> {
    const scopes: PolicyScope[] = [
      { kind: 'msp' },
      { kind: 'client', clientId },
      ...(siteId ? [{ kind: 'site' as const, clientId, siteId }] : []),
      { kind: 'device', thingName },
    ];
    const items = await Promise.all(scopes.map((s) => this.get(s)));
    const layers: PolicyLayers = {};
    scopes.forEach((scope, i) => {
      const item = items[i];
      if (item) layers[scope.kind] = item.layer;
    });
    return layers;
  }

  async #query(pk: string, prefix: string) {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#doc.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }
}

function scopeFields(scope: PolicyScope) {
  const { kind: _kind, ...fields } = scope;
  return fields;
}

function groupsOf(
  clientId: string,
  msp: PolicyOverride | undefined,
  items: Record<string, unknown>[],
): CycleGroupPolicy[] {
  const client = items.find((i) => i.sk === 'POLICY')?.layer as
    | PolicyOverride
    | undefined;
  const base = { msp, client };
  const groups: CycleGroupPolicy[] = [
    { group: cycleGroupOf(clientId), clientId, layers: base },
  ];
  for (const item of items) {
    const sk = String(item.sk);
    if (!sk.startsWith('SITE#')) continue;
    const siteId = sk.slice('SITE#'.length);
    groups.push({
      group: cycleGroupOf(clientId, siteId),
      clientId,
      siteId,
      layers: { ...base, site: item.layer as PolicyOverride | undefined },
    });
  }
  return groups;
}
