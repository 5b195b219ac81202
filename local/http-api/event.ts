import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { RouteMatch } from './routes.js';

/** A request as the gateway received it, before any Lambda shaping. */
export interface GatewayRequest {
  method: string;
  /** The request target as sent: path and query string. */
  target: string;
  /** Node lower-cases header names already. */
  headers: IncomingHttpHeaders;
  body: Buffer;
  sourceIp: string;
  /** 'HTTP/1.1' */
  protocol: string;
  /** The port the gateway listens on, for x-forwarded-port. */
  port: number;
}

export interface GatewayIdentity {
  apiId: string;
  domainName: string;
  /** Receive time, ms since the epoch. */
  now: number;
}

/**
 * The HTTP API payload format 2.0 event for one request, as the API Gateway
 * developer guide describes it ("Working with AWS Lambda proxy integrations
 * for HTTP APIs").
 */
export function toHttpApiEvent(
  request: GatewayRequest,
  route: RouteMatch,
  identity: GatewayIdentity,
): APIGatewayProxyEventV2 {
  const [rawPath = '/', rawQueryString = ''] = splitTarget(request.target);
  const { headers, cookies } = splitHeaders(request);
  const query = parseQuery(rawQueryString);
  const body = encodeBody(request.body, headers['content-type']);

  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    ...(route.pathParameters ? { pathParameters: route.pathParameters } : {}),
    requestContext: requestContext(request, route, identity, rawPath),
    ...body,
  };
}

function splitTarget(target: string): [string, string] {
  const at = target.indexOf('?');
  return at < 0 ? [target, ''] : [target.slice(0, at), target.slice(at + 1)];
}

/**
 * Header values seen more than once are joined with commas. Cookies move to
 * their own list and leave the headers, as API Gateway does for 2.0. The
 * x-forwarded-* headers are the ones the gateway adds in front of Lambda.
 */
function splitHeaders(request: GatewayRequest) {
  const headers: Record<string, string> = {};
  let cookies: string[] = [];

  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const joined = Array.isArray(value) ? value.join(',') : value;
    if (name === 'cookie') cookies = joined.split(/;\s*/).filter(Boolean);
    else headers[name] = joined;
  }
  headers['x-forwarded-for'] = request.sourceIp;
  headers['x-forwarded-port'] = String(request.port);
  headers['x-forwarded-proto'] = 'http';
  return { headers, cookies };
}

function parseQuery(raw: string) {
  if (raw === '') return undefined;
  const query: Record<string, string> = {};

  for (const [name, value] of new URLSearchParams(raw)) {
    query[name] = name in query ? `${query[name]},${value}` : value;
  }
  return query;
}

const TEXT_TYPES =
  /^(text\/|application\/(json|xml|x-www-form-urlencoded))|\+json|\+xml/i;

/** Text bodies pass as UTF-8; anything else is base64, as the gateway does. */
function encodeBody(body: Buffer, contentType: string | undefined) {
  if (body.length === 0) return { isBase64Encoded: false };
  if (contentType && TEXT_TYPES.test(contentType)) {
    return { body: body.toString('utf8'), isBase64Encoded: false };
  }
  return { body: body.toString('base64'), isBase64Encoded: true };
}

function requestContext(
  request: GatewayRequest,
  route: RouteMatch,
  identity: GatewayIdentity,
  rawPath: string,
): APIGatewayProxyEventV2['requestContext'] {
  return {
    accountId: '000000000000',
    apiId: identity.apiId,
    domainName: identity.domainName,
    domainPrefix: identity.domainName.split('.')[0] ?? identity.domainName,
    http: {
      method: request.method,
      path: rawPath,
      protocol: request.protocol,
      sourceIp: request.sourceIp,
      userAgent: String(request.headers['user-agent'] ?? ''),
    },
    // API Gateway request ids are 16 base64 characters.
    requestId: randomBytes(12).toString('base64'),
    routeKey: route.routeKey,
    stage: '$default',
    time: clfTime(new Date(identity.now)),
    timeEpoch: identity.now,
  };
}

const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

/** '04/Dec/2026:15:41:37 +0000', the gateway's access-log time format. */
export function clfTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}`;
  const clock = [date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()]
    .map(pad)
    .join(':');
  return `${day}/${date.getUTCFullYear()}:${clock} +0000`;
}
