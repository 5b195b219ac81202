import type * as z from 'zod';
import type { ApiServices } from './services.js';
import type { TokenScope } from './token-scope.js';

/**
 * One operation of the HTTP API: how it matches, what it takes and answers
 * (the zod schemas docs/openapi.json is generated from), and its handler.
 * A module of routes exports `routes: ApiRoute[]` and is listed once in
 * routes.ts.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ApiRoute {
  method: HttpMethod;
  /** OpenAPI path template, e.g. `/devices/{deviceId}`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** No token needed (only GET /openapi.json). @default false */
  public?: boolean;
  /** Query parameters, all strings on the wire. */
  query?: z.ZodObject;
  /** The JSON body, for POST and PUT. */
  body?: z.ZodType;
  /** PUT with ETag / If-Match (412, 428). @default false */
  conditional?: boolean;
  /** Answers other than the errors every route may give. */
  responses: Record<number, RouteResponse>;
  handle(request: ApiRequest): Promise<ApiResult>;
}

export interface RouteResponse {
  description: string;
  schema?: z.ZodType;
  /** Response headers worth documenting, e.g. `etag`, `location`. */
  headers?: string[];
  /** @default the API's JSON error body, below 200 or from 400 */
  contentType?: string;
}

export interface ApiRequest {
  params: Record<string, string>;
  /** The route's query schema's output. */
  query: Record<string, unknown>;
  /** The route's body schema's output. */
  body: unknown;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  /** The caller's scope; `public` routes get an MSP-less placeholder. */
  scope: TokenScope;
  services: ApiServices;
}

export interface ApiResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Type help for route modules. */
export function defineRoutes(routes: ApiRoute[]): ApiRoute[] {
  return routes;
}
