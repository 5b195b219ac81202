import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { effectivePolicy, PolicyError } from '../../core/index.js';
import type { AwsClients } from '../lib/clients.js';
import type { CommonConfig } from '../lib/config.js';
import { DeviceReader } from '../lib/device-reader.js';
import { UpkeepLambdaError } from '../lib/errors.js';
import type { MetaItem } from '../lib/items.js';
import { createLogger } from '../lib/logger.js';
import { PolicyLayerStore, type PolicyScope } from '../lib/policy-layers.js';
import { desiredOf, shadowPatch } from './shadow-patch.js';
import type { PolicyShadowPort } from './shadow-port.js';

/**
 * The policy function: stores policy layers and delivers each device's
 * effective policy (core/policy-inheritance.ts) as the desired state of
 * its named shadow `policy`. Invoked directly (console, CLI, another
 * function) with one of:
 *
 *   { "action": "put-layer", "scope": {...}, "layer": {...} }
 *       stores the layer, then delivers to every device it reaches
 *   { "action": "deliver", "scope": {...} }
 *       delivers to the devices of a scope
 *   { "action": "reconcile" }
 *       hourly: delivers to every device whose hello names another
 *       policy version than its effective one (a new device, a lost update)
 *
 * A device whose shadow already desires the same version is left alone,
 * so repeating an event writes nothing.
 */
const scopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('msp') }).strict(),
  z.object({ kind: z.literal('client'), clientId: z.string().min(1) }).strict(),
  z
    .object({
      kind: z.literal('site'),
      clientId: z.string().min(1),
      siteId: z.string().min(1),
    })
    .strict(),
  z
    .object({ kind: z.literal('device'), thingName: z.string().min(1) })
    .strict(),
]);

export const policyEventSchema = z.discriminatedUnion('action', [
  z
    .object({
      action: z.literal('put-layer'),
      scope: scopeSchema,
      layer: z.record(z.string(), z.unknown()),
    })
    .strict(),
  z.object({ action: z.literal('deliver'), scope: scopeSchema }).strict(),
  z.object({ action: z.literal('reconcile') }).strict(),
]);

export type PolicyEvent = z.infer<typeof policyEventSchema>;

export interface PolicyResult {
  devices: number;
  delivered: number;
  unchanged: number;
  revision?: number;
}

export class PolicyEventError extends UpkeepLambdaError {
  readonly path?: string;

  constructor(code: string, message: string, path?: string) {
    super(code, message);
    this.name = 'PolicyEventError';
    this.path = path;
  }
}

export interface PolicyDeps {
  config: CommonConfig;
  clients: Pick<AwsClients, 'doc'>;
  shadows: PolicyShadowPort;
  logger?: Logger;
  now?: () => number;
}

type ScopedMeta = MetaItem & { siteId?: string };

export function createPolicyHandler(deps: PolicyDeps) {
  const logger = deps.logger ?? createLogger(deps.config);
  const now = deps.now ?? Date.now;
  const layers = new PolicyLayerStore(deps.clients.doc, deps.config.tableName);
  const reader = new DeviceReader(deps.clients.doc, deps.config.tableName);

  const deliver = async (meta: ScopedMeta, force: boolean) => {
    const policy = effectivePolicy(
      await layers.deviceLayers(meta.thingName, meta.clientId, meta.siteId),
    );
    if (!force && meta.hello?.policyVersion === policy.version) return false;
    const shadow = await deps.shadows.read(meta.thingName);
    if (shadow?.desired?.version === policy.version) return false;

    const patch = shadowPatch(shadow?.desired, desiredOf(policy));
    await deps.shadows.writeDesired(meta.thingName, patch);
    logger.info('policy delivered', {
      thingName: meta.thingName,
      version: policy.version,
    });
    return true;
  };

  const devicesOf = async (scope: PolicyScope | undefined) => {
    if (scope?.kind === 'device') {
      const record = await reader.readDevice(scope.thingName);
      return record ? [record.meta as ScopedMeta] : [];
    }
    const clientId = scope?.kind === 'msp' ? undefined : scope?.clientId;
    const all = (await reader.listDevices(clientId)) as ScopedMeta[];
    return scope?.kind === 'site'
      ? all.filter((m) => m.siteId === scope.siteId)
      : all;
  };

  const run = async (raw: unknown): Promise<PolicyResult> => {
    const event = parse(raw);
    let revision: number | undefined;
    if (event.action === 'put-layer') {
      revision = await putLayer(layers, event, now());
    }
    const scope = event.action === 'reconcile' ? undefined : event.scope;
    const devices = await devicesOf(scope);
    let delivered = 0;
    for (const meta of devices) {
      if (await deliver(meta, event.action !== 'reconcile')) delivered++;
    }
    return {
      devices: devices.length,
      delivered,
      unchanged: devices.length - delivered,
      ...(revision === undefined ? {} : { revision }),
    };
  };

  return middy(async (event: unknown, _context: Context) => run(event)).use(
    injectLambdaContext(logger, { resetKeys: true }),
  );
}

function parse(raw: unknown): PolicyEvent {
  const parsed = policyEventSchema.safeParse(raw);
  if (!parsed.success) {
    throw new PolicyEventError(
      'invalid-event',
      `a policy event is put-layer, deliver or reconcile: ${parsed.error.message}`,
    );
  }
  return parsed.data;
}

async function putLayer(
  layers: PolicyLayerStore,
  event: Extract<PolicyEvent, { action: 'put-layer' }>,
  at: number,
) {
  try {
    return await layers.put(event.scope, event.layer, at);
  } catch (error) {
    if (error instanceof PolicyError) {
      throw new PolicyEventError(error.code, error.message, error.path);
    }
    throw error;
  }
}
