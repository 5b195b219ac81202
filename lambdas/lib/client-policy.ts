import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  DEFAULT_POLICY,
  type Policy,
  type RemediationPolicy,
} from '../../core/policy.js';
import { effectivePolicy } from '../../core/policy-inheritance.js';
import { keys } from '../../core/table.js';
import { PolicyLayerStore } from './policy-layers.js';

/** The device a remediation policy is read for. */
export interface PolicyTarget {
  thingName: string;
  clientId: string;
  siteId?: string;
}

/**
 * A device's remediation policy: the policy layers (MSP → client → site →
 * device, docs/cycles.md) over the `policy.remediation` attribute of the
 * client's directory item (CLIENTS / CLIENT#<id>, where clients were
 * configured before the layers) over the defaults.
 */
export class ClientPolicyReader {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #layers: PolicyLayerStore;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#table = tableName;
    this.#layers = new PolicyLayerStore(doc, tableName);
  }

  async remediation(target: PolicyTarget): Promise<RemediationPolicy> {
    const [{ Item }, layers] = await Promise.all([
      this.#doc.send(
        new GetCommand({
          TableName: this.#table,
          Key: { pk: keys.clients(), sk: keys.client(target.clientId) },
        }),
      ),
      this.#layers.deviceLayers(
        target.thingName,
        target.clientId,
        target.siteId,
      ),
    ]);
    const stored = (Item?.policy as Partial<Policy> | undefined)?.remediation;
    const base = { ...DEFAULT_POLICY, remediation: mergeRemediation(stored) };
    return mergeRemediation(effectivePolicy(layers, base).remediation);
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
