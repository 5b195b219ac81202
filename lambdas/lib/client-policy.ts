import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  DEFAULT_POLICY,
  type Policy,
  type RemediationPolicy,
} from '../../core/policy.js';
import { keys } from '../../core/table.js';

/**
 * A client's remediation policy: the `policy.remediation` attribute of its
 * directory item (CLIENTS / CLIENT#<id>) over the MSP defaults.
 *
 * Known limitation: this is the client level only. The inheritance chain
 * MSP → client → site → device of the policy work replaces this reader;
 * until then a client's policy is written to its directory item.
 */
export class ClientPolicyReader {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#table = tableName;
  }

  async remediation(clientId: string): Promise<RemediationPolicy> {
    const { Item } = await this.#doc.send(
      new GetCommand({
        TableName: this.#table,
        Key: { pk: keys.clients(), sk: keys.client(clientId) },
      }),
    );
    const stored = (Item?.policy as Partial<Policy> | undefined)?.remediation;
    return mergeRemediation(stored);
  }
}

export function mergeRemediation(
  stored: Partial<RemediationPolicy> | undefined,
): RemediationPolicy {
  const base = DEFAULT_POLICY.remediation as RemediationPolicy;
  return {
    ...base,
    ...stored,
    products: { ...base.products, ...stored?.products },
    suppressCodes: stored?.suppressCodes ?? base.suppressCodes,
  };
}
