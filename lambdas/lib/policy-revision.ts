import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PolicyOverride } from '../../core/policy-inheritance.js';
import { applied } from './conditional.js';
import { layerKey, type PolicyScope } from './policy-layers.js';

/**
 * Writes a policy layer only if it is still at the revision the caller
 * read (the API's If-Match): revision 0 means "not written yet". Resolves
 * false when another write came first; the caller answers 412.
 * The layer must have passed validateOverride already.
 */
export async function putLayerAtRevision(
  doc: DynamoDBDocumentClient,
  tableName: string,
  change: {
    scope: PolicyScope;
    layer: PolicyOverride;
    expectedRevision: number;
    atMs: number;
  },
): Promise<boolean> {
  const { scope, expectedRevision } = change;
  const { kind: _kind, ...scopeFields } = scope;
  return applied(
    doc.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...layerKey(scope),
          ...scopeFields,
          layer: change.layer,
          revision: expectedRevision + 1,
          updatedAt: new Date(change.atMs).toISOString(),
        },
        ConditionExpression:
          expectedRevision === 0
            ? 'attribute_not_exists(pk)'
            : 'revision = :expected',
        ExpressionAttributeValues:
          expectedRevision === 0
            ? undefined
            : { ':expected': expectedRevision },
      }),
    ),
  );
}
