import {
  effectivePolicy,
  PolicyError,
  type PolicyLayers,
  type PolicyOverride,
  validateOverride,
} from '../../core/policy-inheritance.js';
import {
  policyLayerSchema,
  policyLayerViewSchema,
} from '../../core/schemas/api-policy.js';
import type { LayerItem, PolicyScope } from '../lib/policy-layers.js';
import { putLayerAtRevision } from '../lib/policy-revision.js';
import { policySources } from './policy-sources.js';
import { deviceNotFound, requireDeviceId } from './query.js';
import { ApiError } from './responses.js';
import { type ApiRequest, type ApiRoute, defineRoutes } from './route-types.js';
import { requireClient, requireMsp, seesClient } from './token-scope.js';

/**
 * The policy layers (MSP, client, site, device) with the policy in effect
 * at each level and where each value comes from. A layer's revision is its
 * ETag (`"r<revision>"`, `"r0"` before the first write); PUT replaces the
 * layer and needs `If-Match` with the current ETag: missing is 428, stale
 * is 412. Reading needs a token that sees the client; writing needs an MSP
 * token. Devices get a new effective policy through the policy function's
 * reconcile, which finds their policy version changed (docs/cycles.md).
 */
type Level = 'msp' | 'client' | 'site' | 'device';

interface Target {
  scope: PolicyScope;
  /** The scopes whose layers apply here, MSP first. */
  chain: PolicyScope[];
  view: Record<string, string>;
}

async function targetOf(request: ApiRequest, level: Level): Promise<Target> {
  const { params, scope, services } = request;
  const msp: PolicyScope = { kind: 'msp' };
  if (level === 'msp') {
    requireMsp(scope);
    return { scope: msp, chain: [msp], view: { kind: 'msp' } };
  }
  if (level === 'device') {
    const deviceId = requireDeviceId(params.deviceId ?? '');
    const meta = await services.reader.meta(deviceId);
    if (!meta || !seesClient(scope, meta.clientId)) {
      throw deviceNotFound(deviceId);
    }
    const siteId = (meta as { siteId?: string }).siteId;
    const client: PolicyScope = { kind: 'client', clientId: meta.clientId };
    const site: PolicyScope[] = siteId
      ? [{ kind: 'site', clientId: meta.clientId, siteId }]
      : [];
    const device: PolicyScope = { kind: 'device', thingName: deviceId };
    return {
      scope: device,
      chain: [msp, client, ...site, device],
      view: { kind: 'device', deviceId, clientId: meta.clientId },
    };
  }

  const clientId = params.clientId ?? '';
  requireClient(scope, clientId);
  if (!(await services.reader.client(clientId))) {
    throw new ApiError(404, 'client-not-found', `no client "${clientId}"`);
  }
  const client: PolicyScope = { kind: 'client', clientId };
  if (level === 'client') {
    return {
      scope: client,
      chain: [msp, client],
      view: { kind: 'client', clientId },
    };
  }
  const siteId = params.siteId ?? '';
  const site: PolicyScope = { kind: 'site', clientId, siteId };
  return {
    scope: site,
    chain: [msp, client, site],
    view: { kind: 'site', clientId, siteId },
  };
}

async function layersOf(request: ApiRequest, target: Target) {
  const items = await Promise.all(
    target.chain.map((s) => request.services.policies.get(s)),
  );
  const layers: PolicyLayers = {};
  target.chain.forEach((s, i) => {
    const item = items[i];
    if (item) layers[s.kind] = item.layer;
  });
  return { layers, own: items.at(-1) };
}

const etagOf = (revision: number) => `"r${revision}"`;

function layerView(target: Target, layers: PolicyLayers, own?: LayerItem) {
  const effective = effectivePolicy(layers);
  return {
    scope: target.view,
    layer: own?.layer ?? {},
    revision: own?.revision ?? 0,
    updatedAt: own?.updatedAt ?? null,
    effective,
    sources: policySources(
      effective as unknown as Record<string, unknown>,
      layers,
    ),
  };
}

function getLayer(level: Level) {
  return async (request: ApiRequest) => {
    const target = await targetOf(request, level);
    const { layers, own } = await layersOf(request, target);
    if (level === 'site' && !own) throw siteNotFound(target);
    const view = layerView(target, layers, own);
    return {
      status: 200,
      body: view,
      headers: { etag: etagOf(view.revision) },
    };
  };
}

function siteNotFound(target: Target) {
  return new ApiError(
    404,
    'site-not-found',
    `no site "${target.view.siteId}"; PUT its policy with If-Match: ` +
      `${etagOf(0)} to create it`,
  );
}

function putLayer(level: Level) {
  return async (request: ApiRequest) => {
    requireMsp(request.scope);
    const target = await targetOf(request, level);
    const { layers, own } = await layersOf(request, target);
    const revision = own?.revision ?? 0;
    checkIfMatch(request.headers['if-match'], revision);

    const layer = request.body as PolicyOverride;
    const next = { ...layers, [target.scope.kind]: layer };
    validated(() => {
      validateOverride(target.scope.kind, layer);
      effectivePolicy(next);
    });
    const written = await putLayerAtRevision(
      request.services.clients.doc,
      request.services.tableName,
      {
        scope: target.scope,
        layer,
        expectedRevision: revision,
        atMs: request.services.now(),
      },
    );
    if (!written) throw preconditionFailed(revision);

    const stored = await request.services.policies.get(target.scope);
    const view = layerView(target, next, stored);
    return {
      status: 200,
      body: view,
      headers: { etag: etagOf(view.revision) },
    };
  };
}

function checkIfMatch(header: string | undefined, revision: number) {
  if (header === undefined || header.trim() === '') {
    throw new ApiError(
      428,
      'precondition-required',
      `PUT needs If-Match with the layer's ETag (now ${etagOf(revision)})`,
    );
  }
  const tags = header.split(',').map((t) => t.trim().replace(/^W\//, ''));
  const matches =
    tags.includes(etagOf(revision)) || (tags.includes('*') && revision > 0);
  if (!matches) throw preconditionFailed(revision);
}

function preconditionFailed(revision: number) {
  return new ApiError(
    412,
    'precondition-failed',
    'the layer changed since it was read; GET it again',
    { etag: etagOf(revision) },
  );
}

function validated(check: () => void) {
  try {
    check();
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    throw new ApiError(
      422,
      `policy-${error.code}`,
      error.message,
      {},
      {
        path: error.path,
      },
    );
  }
}

const LEVELS: { level: Level; path: string; name: string }[] = [
  { level: 'msp', path: '/policies/msp', name: 'MspPolicy' },
  { level: 'client', path: '/clients/{clientId}/policy', name: 'ClientPolicy' },
  {
    level: 'site',
    path: '/clients/{clientId}/sites/{siteId}/policy',
    name: 'SitePolicy',
  },
  { level: 'device', path: '/devices/{deviceId}/policy', name: 'DevicePolicy' },
];

const layerResponse = {
  description: 'the layer and the policy in effect at its level',
  schema: policyLayerViewSchema,
  headers: ['etag'],
};

export const routes = defineRoutes(
  LEVELS.flatMap(({ level, path, name }): ApiRoute[] => [
    {
      method: 'GET',
      path,
      operationId: `get${name}`,
      summary: `The ${level} policy layer and its effective policy`,
      tag: 'policies',
      responses: { 200: layerResponse },
      handle: getLayer(level),
    },
    {
      method: 'PUT',
      path,
      operationId: `put${name}`,
      summary: `Replace the ${level} policy layer (If-Match required)`,
      tag: 'policies',
      body: policyLayerSchema,
      conditional: true,
      responses: { 200: layerResponse },
      handle: putLayer(level),
    },
  ]),
);
