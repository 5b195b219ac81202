import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { keys } from '../core/table.js';
import { applied } from '../lambdas/lib/conditional.js';
import { clientItem, type MetaItem, metaItem } from '../lambdas/lib/items.js';
import { EnrollError } from './enroll-errors.js';

export interface DirectoryEntry {
  thingName: string;
  clientId: string;
  siteId: string;
}

/**
 * Writes what the back end needs to know of an enrolled device, so that
 * ingest files its reports under its tenant instead of guessing:
 *   CLIENTS / CLIENT#<client>      the client, unless listed already
 *   CLIENT#<client> / SITE#<site>  the site, with an empty policy layer,
 *                                  so cycles go to its group (docs/cycles.md)
 *   DEVICE#<thing> / META          the device with its client and site
 * Every write is conditional: an existing client, site or policy layer is
 * left as it is, and a device registered under another client is refused,
 * because a thing name speaks for one tenant only.
 */
export async function writeDirectory(
  doc: DynamoDBDocumentClient,
  tableName: string,
  entry: DirectoryEntry,
  nowMs: number,
) {
  const at = new Date(nowMs).toISOString();
  const put = (Item: Record<string, unknown>) =>
    applied(
      doc.send(
        new PutCommand({
          TableName: tableName,
          Item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );

  await put({ ...clientItem(entry.clientId, at) });
  await put(siteItem(entry, at));
  const created = await put({
    ...metaItem(entry.thingName, entry.clientId, at),
    siteId: entry.siteId,
  });
  if (!created) await moveWithinClient(doc, tableName, entry);
}

function siteItem(entry: DirectoryEntry, at: string) {
  return {
    pk: keys.client(entry.clientId),
    sk: `SITE#${entry.siteId}`,
    clientId: entry.clientId,
    siteId: entry.siteId,
    layer: {},
    revision: 1,
    updatedAt: at,
  };
}

/** A device enrolled again: same client, possibly another site. */
async function moveWithinClient(
  doc: DynamoDBDocumentClient,
  tableName: string,
  entry: DirectoryEntry,
) {
  const key = { pk: keys.device(entry.thingName), sk: keys.meta() };
  const { Item } = await doc.send(
    new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
  );
  const meta = Item as (MetaItem & { siteId?: string }) | undefined;
  if (meta?.clientId !== entry.clientId) {
    throw new EnrollError(
      'directory-conflict',
      `device ${entry.thingName} is registered under client ` +
        `${JSON.stringify(meta?.clientId)}, not ${JSON.stringify(entry.clientId)}; ` +
        'choose another --name',
    );
  }
  if (meta.siteId === entry.siteId) return;

  await doc.send(
    new UpdateCommand({
      TableName: tableName,
      Key: key,
      UpdateExpression: 'SET siteId = :site',
      ConditionExpression: 'clientId = :client',
      ExpressionAttributeValues: {
        ':site': entry.siteId,
        ':client': entry.clientId,
      },
    }),
  );
}
