import * as z from 'zod';
import { buildOpenApiDocument } from './openapi.js';
import type { ApiRoute } from './route-types.js';

/**
 * The route tables of the HTTP API. A module of routes exports
 * `routes: ApiRoute[]` (route-types.ts); listing its loader here is all it
 * takes to serve it, authorize it (token scope) and document it in
 * docs/openapi.json (run `npx tsx scripts/openapi.ts` after).
 */
type RouteModule = () => Promise<{ routes: readonly ApiRoute[] }>;

export const ROUTE_MODULES: readonly RouteModule[] = [
  () => import('./device-routes.js'),
  () => import('./client-routes.js'),
  () => import('./finding-routes.js'),
  () => import('./run-routes.js'),
  () => import('./policy-routes.js'),
  () => import('./patches-routes.js'),
  () => import('../webhooks/webhook-routes.js'),
];

/** Every route, GET /openapi.json last. */
export async function loadRoutes(): Promise<ApiRoute[]> {
  const modules = await Promise.all(ROUTE_MODULES.map((load) => load()));
  const routes = modules.flatMap((m) => m.routes);
  let document: unknown;
  // Built on first request: a cold start that never serves it pays nothing.
  const all = [
    ...routes,
    openApiRoute(() => {
      document ??= buildOpenApiDocument(all);
      return document;
    }),
  ];
  return all;
}

const documentSchema = z.looseObject({ openapi: z.literal('3.1.0') });

function openApiRoute(document: () => unknown): ApiRoute {
  return {
    method: 'GET',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This document',
    tag: 'meta',
    public: true,
    responses: {
      200: { description: 'the OpenAPI 3.1 document', schema: documentSchema },
    },
    handle: async () => ({ status: 200, body: document() }),
  };
}
