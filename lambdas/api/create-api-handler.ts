import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type * as z from 'zod';
import type { AwsClients } from '../lib/clients.js';
import type { ApiConfig } from '../lib/config.js';
import type { JobSigningKey } from '../lib/job-signing.js';
import { createLogger } from '../lib/logger.js';
import { ApiError, errorResponse, json } from './responses.js';
import type { ApiRequest, ApiResult, ApiRoute } from './route-types.js';
import { pathOf, Router } from './router.js';
import { loadRoutes } from './routes.js';
import { createServices } from './services.js';
import { actorOf, scopeOf, type TokenScope } from './token-scope.js';

export interface ApiDeps {
  config: ApiConfig;
  clients: Pick<AwsClients, 'doc' | 'iot'>;
  /** @default a Powertools Logger from config */
  logger?: Logger;
  /** @default Date.now */
  now?: () => number;
  /** @default the secret from config, read once */
  signingKey?: () => Promise<JobSigningKey>;
}

/**
 * The HTTP API Lambda (API Gateway HTTP API, payload format 2.0); routes
 * in routes.ts, documented in docs/api.md and docs/openapi.json. Each
 * request goes through:
 *
 *   match route ─▶ token scope ─▶ query ─▶ body ─▶ idempotency (POST)
 *     ─▶ handle ─▶ JSON
 *
 * Errors are JSON `{error: {code, message}}` with a stable code.
 */
export function createApiHandler(deps: ApiDeps) {
  const logger = deps.logger ?? createLogger(deps.config);
  const services = createServices({ ...deps, logger });
  let router: Promise<Router> | undefined;

  const serve = async (event: APIGatewayProxyEventV2) => {
    router ??= loadRoutes().then((routes) => new Router(routes));
    const { route, params } = (await router).match(event);
    // Who asks comes first: a caller without a scope learns nothing more.
    const scope: TokenScope = route.public
      ? { kind: 'public' }
      : scopeOf(event);
    const request: ApiRequest = {
      params,
      query: parse(route.query, event.queryStringParameters ?? {}, 'query'),
      body: route.body ? parse(route.body, jsonBody(event), 'body') : undefined,
      headers: event.headers ?? {},
      scope,
      services,
    };
    return respond(await idempotent(route, request, event));
  };

  const idempotent = (
    route: ApiRoute,
    request: ApiRequest,
    event: APIGatewayProxyEventV2,
  ): Promise<ApiResult> => {
    const key = request.headers['idempotency-key'];
    if (route.method !== 'POST' || key === undefined) {
      return route.handle(request);
    }
    return services.idempotency.run(
      {
        key,
        caller: actorOf(request.scope),
        request: { path: pathOf(event), body: request.body ?? null },
        nowMs: services.now(),
      },
      () => route.handle(request).catch(asResult),
    );
  };

  return middy(
    async (
      event: APIGatewayProxyEventV2,
      _context: Context,
    ): Promise<APIGatewayProxyStructuredResultV2> => {
      try {
        return await serve(event);
      } catch (error) {
        if (error instanceof ApiError) return errorResponse(error);
        // A person must look: the table or the code is broken.
        logger.error('request failed', { error: error as Error });
        return errorResponse(new ApiError(500, 'internal', 'internal error'));
      }
    },
  ).use(injectLambdaContext(logger, { resetKeys: true }));
}

/** An ApiError becomes a result, so that idempotency keeps it too. */
function asResult(error: unknown): ApiResult {
  if (!(error instanceof ApiError)) throw error;
  const response = errorResponse(error);
  return {
    status: error.status,
    body: JSON.parse(String(response.body)),
    headers: error.headers,
  };
}

function respond(result: ApiResult) {
  // A text body with its own type (CSV) goes out as it is.
  const type = result.headers?.['content-type'];
  if (typeof result.body === 'string' && type && !type.includes('json')) {
    return {
      statusCode: result.status,
      headers: { 'cache-control': 'no-store', ...result.headers },
      body: result.body,
    };
  }
  return json(result.status, result.body, result.headers);
}

function parse(schema: z.ZodType | undefined, input: unknown, where: string) {
  if (!schema) return {};
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data as Record<string, unknown>;

  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
  throw new ApiError(
    400,
    `invalid-${where}`,
    `the ${where} does not match the schema`,
    {},
    { issues },
  );
}

function jsonBody(event: APIGatewayProxyEventV2): unknown {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded
    ? Buffer.from(raw, 'base64').toString('utf8')
    : raw;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'malformed-json', 'the body is not JSON');
  }
}
