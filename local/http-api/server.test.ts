import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  type HttpApiHandler,
  type HttpApiOptions,
  startHttpApi,
} from './server.js';

/** Explicit routes, so that a path outside them is the gateway's 404. */
const ROUTE_KEYS = ['GET /devices', 'GET /devices/{id}'];

async function start(
  handler: HttpApiHandler,
  options: Partial<HttpApiOptions> = {},
) {
  const api = await startHttpApi({
    handler,
    port: 0,
    routeKeys: ROUTE_KEYS,
    ...options,
  });
  onTestFinished(() => api.close());
  return api;
}

/** A handler that answers with what it was given, as a real Lambda would. */
const echo: HttpApiHandler = async (event, context) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    routeKey: event.routeKey,
    pathParameters: event.pathParameters ?? null,
    functionName: context.functionName,
    remainingMs: context.getRemainingTimeInMillis(),
  }),
});

describe('startHttpApi', () => {
  it('invokes the handler with a 2.0 event and writes its result', async () => {
    const api = await start(echo);

    const response = await fetch(`${api.url}/devices/dev-a`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      routeKey: 'GET /devices/{id}',
      pathParameters: { id: 'dev-a' },
      functionName: 'upkeep-api',
      remainingMs: expect.any(Number),
    });
  });

  it('answers 404 from the gateway for a route it does not have', async () => {
    const seen: APIGatewayProxyEventV2[] = [];
    const api = await start(async (event) => {
      seen.push(event);
      return { statusCode: 200 };
    });

    const response = await fetch(`${api.url}/nowhere`);

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
    expect(seen).toEqual([]);
  });

  it('answers 500 and reports it when the handler throws', async () => {
    const api = await start(async () => {
      throw new Error('table is gone');
    });
    const failures: unknown[] = [];
    api.events.on('invocation-failed', (f) => failures.push(f));

    const response = await fetch(`${api.url}/devices`);

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal Server Error' });
    expect(failures).toEqual([
      { routeKey: 'GET /devices', error: new Error('table is gone') },
    ]);
  });

  it('answers 503 when the handler outlives the timeout', async () => {
    const api = await start(
      (_event: APIGatewayProxyEventV2, _context: Context) =>
        new Promise((resolve) => setTimeout(resolve, 2_000, {})),
      { integrationTimeoutMs: 50 },
    );

    const response = await fetch(`${api.url}/devices`);

    expect(response.status).toBe(503);
  });

  it('writes each cookie as its own set-cookie header', async () => {
    const api = await start(async () => ({
      statusCode: 204,
      cookies: ['a=1', 'b=2; Path=/'],
    }));

    const response = await fetch(`${api.url}/devices`);

    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2; Path=/']);
  });
});
