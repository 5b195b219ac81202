import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * An HTTP API payload-2.0 event with every field API Gateway sends for a
 * `$default` route (see "Working with AWS Lambda proxy integrations for
 * HTTP APIs" in the API Gateway developer guide).
 */
export function httpEvent(
  method: string,
  path: string,
  options: {
    query?: Record<string, string>;
    stage?: string;
    /** Verified JWT claims, as the gateway's authorizer passes them. */
    claims?: Record<string, string>;
    headers?: Record<string, string>;
    /** Sent as JSON. */
    body?: unknown;
  } = {},
): APIGatewayProxyEventV2 {
  const stage = options.stage ?? '$default';
  const rawQueryString = new URLSearchParams(options.query ?? {}).toString();
  const now = Date.parse('2026-12-04T09:05:00.000Z');
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString,
    headers: {
      accept: 'application/json',
      host: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
      'user-agent': 'curl/8.5.0',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      ...options.headers,
    },
    ...(options.query ? { queryStringParameters: options.query } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'a1b2c3d4e5',
      domainName: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'a1b2c3d4e5',
      http: {
        method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'curl/8.5.0',
      },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey: '$default',
      stage,
      time: '04/Dec/2026:09:05:00 +0000',
      timeEpoch: now,
      ...(options.claims
        ? {
            authorizer: {
              principalId: '',
              integrationLatency: 0,
              jwt: { claims: options.claims, scopes: [] },
            },
          }
        : {}),
    },
    ...(options.body === undefined
      ? {}
      : { body: JSON.stringify(options.body) }),
    isBase64Encoded: false,
  };
}
