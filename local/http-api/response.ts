import type { APIGatewayProxyResultV2 } from 'aws-lambda';

/** What the gateway writes back to the HTTP client. */
export interface GatewayResponse {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

/** The bodies API Gateway itself answers with when it cannot proxy. */
export function gatewayError(
  statusCode: 401 | 404 | 413 | 500 | 503,
): GatewayResponse {
  const message = {
    401: 'Unauthorized',
    404: 'Not Found',
    413: 'Request Entity Too Large',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  }[statusCode];

  return {
    statusCode,
    headers: {
      'content-type': 'application/json',
      // The JWT authorizer names the scheme it wants, as API Gateway does.
      ...(statusCode === 401 ? { 'www-authenticate': 'Bearer' } : {}),
    },
    cookies: [],
    body: Buffer.from(JSON.stringify({ message })),
  };
}

/**
 * Maps a handler result to the HTTP response as payload format 2.0 does: a
 * result without `statusCode` is taken as a JSON body with status 200; a
 * structured result sets status, headers, cookies and a body that may be
 * base64. A result the gateway cannot read is a 500.
 */
export function fromHandlerResult(result: unknown): GatewayResponse {
  if (!isStructured(result)) {
    const body = typeof result === 'string' ? result : JSON.stringify(result);
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      cookies: [],
      body: Buffer.from(body ?? ''),
    };
  }

  const { statusCode, headers = {}, cookies = [], body = '' } = result;
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    return gatewayError(500);
  }
  return {
    statusCode,
    headers: lowerCaseKeys(headers),
    cookies,
    body: Buffer.from(body, result.isBase64Encoded ? 'base64' : 'utf8'),
  };
}

interface Structured {
  statusCode: number;
  headers?: Record<string, string | number | boolean>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

function isStructured(result: unknown): result is Structured {
  return (
    typeof result === 'object' && result !== null && 'statusCode' in result
  );
}

function lowerCaseKeys(headers: Record<string, string | number | boolean>) {
  return Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
}

export type HandlerResult = APIGatewayProxyResultV2<unknown>;
