import { EventEmitter } from 'node:events';
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { LocalStackError } from '../errors.js';
import { createLambdaContext } from '../lambda-context.js';
import {
  assertLoopback,
  assertPort,
  closeServer,
  listen,
  urlHost,
} from '../net/listen.js';
import { dashboardHandler } from './dashboard-files.js';
import { type GatewayRequest, toHttpApiEvent } from './event.js';
import { type JwtAuthorizer, UnauthorizedError } from './jwt-authorizer.js';
import {
  fromHandlerResult,
  type GatewayResponse,
  gatewayError,
} from './response.js';
import {
  API_ROUTE_KEYS,
  compileRoutes,
  matchRoute,
  PUBLIC_ROUTE_KEYS,
} from './routes.js';

export const httpApiDefaults = {
  host: '127.0.0.1',
  port: 18_080,
  /** HTTP API's integration timeout, ms; past it the gateway answers 503. */
  integrationTimeoutMs: 30_000,
  /** HTTP API's request payload limit, bytes. */
  maxBodyBytes: 10 * 1024 * 1024,
  functionName: 'upkeep-api',
} as const;

export type HttpApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<unknown>;

export interface HttpApiOptions {
  handler: HttpApiHandler;
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 18080 */
  port?: number;
  /** @default API_ROUTE_KEYS */
  routeKeys?: readonly string[];
  /** @default 30_000 ms */
  integrationTimeoutMs?: number;
  now?: () => number;
  /**
   * The JWT authorizer of every route but `publicRouteKeys`; a request it
   * refuses gets 401 and never reaches the handler. @default none: every
   * route is open (tests of the gateway itself)
   */
  authorizer?: JwtAuthorizer;
  /** @default PUBLIC_ROUTE_KEYS */
  publicRouteKeys?: readonly string[];
  /**
   * JSON documents served on GET outside the API's routes, by path: the
   * local identity provider's discovery document and key set.
   */
  documents?: Record<string, () => unknown>;
  /**
   * The dashboard's static files, served at /dashboard/ beside the API.
   * `false` serves none. @default the checkout's dashboard/site
   */
  dashboardRoot?: string | false;
}

/**
 * `events` emits `invocation-failed` ({routeKey, error}) when the handler
 * throws or times out; the client then gets the gateway's 500 or 503; and
 * `unauthorized` ({routeKey, reason}) when the authorizer refuses a token.
 */
export interface HttpApi {
  url: string;
  port: number;
  events: EventEmitter;
  close(): Promise<void>;
}

/** The API Gateway HTTP API stand-in: node:http in front of one handler. */
export async function startHttpApi(options: HttpApiOptions): Promise<HttpApi> {
  const host = assertLoopback(options.host ?? httpApiDefaults.host);
  const port = assertPort('API port', options.port ?? httpApiDefaults.port);
  const events = new EventEmitter();
  const serve = gateway(options, events);

  // Requests arrive only once listen() has resolved and set the port.
  let bound = port;
  const dashboard = dashboardHandler(options.dashboardRoot);
  const server = createServer((req, res) => {
    dashboard(req, res)
      .then(async (served) => {
        if (!served) writeResponse(res, await serve(req, bound));
      })
      .catch(() => writeResponse(res, gatewayError(500)));
  });
  bound = await listen(server, host, port);

  return {
    url: `http://${urlHost(host)}:${bound}`,
    port: bound,
    events,
    close: () => {
      server.closeIdleConnections();
      return closeServer(server);
    },
  };
}

function gateway(options: HttpApiOptions, events: EventEmitter) {
  const routes = compileRoutes(options.routeKeys ?? API_ROUTE_KEYS);
  const publicRoutes = new Set<string>(
    options.publicRouteKeys ?? PUBLIC_ROUTE_KEYS,
  );
  const now = options.now ?? Date.now;
  const timeoutMs =
    options.integrationTimeoutMs ?? httpApiDefaults.integrationTimeoutMs;

  return async (req: IncomingMessage, port: number) => {
    const body = await readBody(req, httpApiDefaults.maxBodyBytes);
    if (!body) return gatewayError(413);

    const request = toGatewayRequest(req, body, port);
    const rawPath = request.target.split('?')[0] ?? '/';
    const document = options.documents?.[rawPath];
    if (document && request.method === 'GET') return jsonResponse(document());
    const route = matchRoute(routes, request.method, rawPath);
    if (!route) return gatewayError(404);

    const authorizer = publicRoutes.has(route.routeKey)
      ? undefined
      : await authorize(options.authorizer, request).catch((error: unknown) => {
          if (!(error instanceof UnauthorizedError)) throw error;
          events.emit('unauthorized', {
            routeKey: route.routeKey,
            reason: error.message,
          });
          return null;
        });
    if (authorizer === null) return gatewayError(401);

    const event = toHttpApiEvent(request, route, {
      apiId: 'local',
      domainName: String(req.headers.host ?? `127.0.0.1:${port}`),
      now: now(),
    });
    if (authorizer) {
      (event.requestContext as { authorizer?: unknown }).authorizer =
        authorizer;
    }
    const context = createLambdaContext({
      functionName: httpApiDefaults.functionName,
      timeoutMs,
      now,
    });
    return invoke(options.handler, event, context, timeoutMs).catch(
      (error: unknown) => {
        events.emit('invocation-failed', { routeKey: route.routeKey, error });
        const timedOut = error instanceof IntegrationTimeoutError;
        return gatewayError(timedOut ? 503 : 500);
      },
    );
  };
}

/** The authorizer's context, or undefined when no authorizer is set. */
async function authorize(
  authorizer: JwtAuthorizer | undefined,
  request: GatewayRequest,
) {
  if (!authorizer) return undefined;
  const header = request.headers.authorization;
  return authorizer(Array.isArray(header) ? header[0] : header);
}

function jsonResponse(body: unknown): GatewayResponse {
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    cookies: [],
    body: Buffer.from(JSON.stringify(body)),
  };
}

/** The handler did not answer within the integration timeout. */
export class IntegrationTimeoutError extends LocalStackError {
  constructor(timeoutMs: number) {
    super('integration-timeout', `no answer within ${timeoutMs} ms`);
    this.name = 'IntegrationTimeoutError';
  }
}

async function invoke(
  handler: HttpApiHandler,
  event: APIGatewayProxyEventV2,
  context: Context,
  timeoutMs: number,
): Promise<GatewayResponse> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new IntegrationTimeoutError(timeoutMs)),
      timeoutMs,
    );
  });

  try {
    return fromHandlerResult(
      await Promise.race([handler(event, context), timeout]),
    );
  } finally {
    clearTimeout(timer);
  }
}

/** The body, or undefined once it passes the limit. */
async function readBody(req: IncomingMessage, limit: number) {
  const chunks: Buffer[] = [];
  let size = 0;

  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function toGatewayRequest(
  req: IncomingMessage,
  body: Buffer,
  port: number,
): GatewayRequest {
  return {
    method: req.method ?? 'GET',
    target: req.url ?? '/',
    headers: req.headers,
    body,
    sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
    protocol: `HTTP/${req.httpVersion}`,
    port,
  };
}

function writeResponse(res: ServerResponse, response: GatewayResponse) {
  const headers: Record<string, string | string[]> = {
    ...response.headers,
    'content-length': String(response.body.length),
  };
  if (response.cookies.length > 0) headers['set-cookie'] = response.cookies;

  res.writeHead(response.statusCode, headers);
  res.end(response.body);
}
