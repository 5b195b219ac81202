import {
  clientDetailSchema,
  clientListSchema,
  siteDetailSchema,
  siteListSchema,
} from '../../core/schemas/api.js';
import type { SiteItem } from '../lib/api-reader.js';
import type { MetaItem } from '../lib/items.js';
import { ApiError } from './responses.js';
import { type ApiRequest, defineRoutes } from './route-types.js';
import type { ApiServices } from './services.js';
import { requireClient } from './token-scope.js';

/**
 * Clients (the CLIENTS directory) and their sites (CLIENT#<id> / SITE#<id>,
 * written with the site's policy layer). A client token sees its own
 * client only; naming another one is 403.
 */
type Devices = (MetaItem & { siteId?: string })[];

async function clientView(services: ApiServices, clientId: string) {
  const client = await services.reader.client(clientId);
  if (!client) {
    throw new ApiError(404, 'client-not-found', `no client "${clientId}"`);
  }
  const [index, sites] = await Promise.all([
    services.reader.clientIndex(clientId),
    services.reader.sites(clientId),
  ]);
  const devices = index.devices as Devices;
  return {
    client: {
      clientId,
      createdAt: client.createdAt,
      deviceCount: devices.length,
      siteCount: sites.length,
    },
    sites: sites.map((s) => siteView(s, devices)),
    devices,
  };
}

function siteView(site: SiteItem, devices: Devices) {
  return {
    siteId: site.siteId,
    clientId: site.clientId,
    updatedAt: site.updatedAt ?? null,
    deviceCount: devices.filter((d) => d.siteId === site.siteId).length,
  };
}

async function listClients({ scope, services }: ApiRequest) {
  const directory = await services.devices.listClients();
  const visible = directory.filter(
    (c) => scope.kind === 'msp' || c.clientId === scopeClient(scope),
  );
  const views = await Promise.all(
    visible.map((c) => clientView(services, c.clientId)),
  );
  return { status: 200, body: { clients: views.map((v) => v.client) } };
}

function scopeClient(scope: ApiRequest['scope']) {
  return scope.kind === 'client' ? scope.clientId : undefined;
}

async function getClient({ scope, services, params }: ApiRequest) {
  const clientId = params.clientId ?? '';
  requireClient(scope, clientId);
  const view = await clientView(services, clientId);
  return { status: 200, body: { client: view.client, sites: view.sites } };
}

async function listSites({ scope, services, params }: ApiRequest) {
  const clientId = params.clientId ?? '';
  requireClient(scope, clientId);
  const view = await clientView(services, clientId);
  return { status: 200, body: { sites: view.sites } };
}

async function getSite({ scope, services, params }: ApiRequest) {
  const clientId = params.clientId ?? '';
  requireClient(scope, clientId);
  const view = await clientView(services, clientId);
  const site = view.sites.find((s) => s.siteId === params.siteId);
  if (!site) {
    throw new ApiError(
      404,
      'site-not-found',
      `no site "${params.siteId}" at client "${clientId}"`,
    );
  }
  const devices = view.devices
    .filter((d) => d.siteId === site.siteId)
    .map((d) => d.thingName)
    .sort();
  return { status: 200, body: { site, devices } };
}

export const routes = defineRoutes([
  {
    method: 'GET',
    path: '/clients',
    operationId: 'listClients',
    summary: 'The clients in view, with device and site counts',
    tag: 'clients',
    responses: { 200: { description: 'clients', schema: clientListSchema } },
    handle: listClients,
  },
  {
    method: 'GET',
    path: '/clients/{clientId}',
    operationId: 'getClient',
    summary: 'A client and its sites',
    tag: 'clients',
    responses: { 200: { description: 'client', schema: clientDetailSchema } },
    handle: getClient,
  },
  {
    method: 'GET',
    path: '/clients/{clientId}/sites',
    operationId: 'listSites',
    summary: 'The sites of a client',
    tag: 'clients',
    responses: { 200: { description: 'sites', schema: siteListSchema } },
    handle: listSites,
  },
  {
    method: 'GET',
    path: '/clients/{clientId}/sites/{siteId}',
    operationId: 'getSite',
    summary: 'A site and its devices',
    tag: 'clients',
    responses: { 200: { description: 'site', schema: siteDetailSchema } },
    handle: getSite,
  },
]);
