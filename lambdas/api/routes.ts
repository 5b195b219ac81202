import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { THING_NAME_PATTERN } from '../../core/topics.js';
import { ApiError } from './responses.js';

export type Route =
  | { name: 'list-devices'; clientId?: string }
  | { name: 'get-device'; deviceId: string };

/**
 * Matches an HTTP API (payload 2.0) request to a route. It reads the raw
 * path, less a named stage's prefix, so that explicit routes and a
 * `$default` catch-all route behave the same.
 */
export function matchRoute(event: APIGatewayProxyEventV2): Route {
  const method = event.requestContext.http.method.toUpperCase();
  const segments = pathOf(event).split('/').filter(Boolean);

  if (segments[0] !== 'devices' || segments.length > 2) {
    throw new ApiError(404, 'route-not-found', `no route for ${pathOf(event)}`);
  }
  if (method !== 'GET') {
    throw new ApiError(
      405,
      'method-not-allowed',
      `${method} is not allowed here`,
      {
        allow: 'GET',
      },
    );
  }

  const rawId = segments[1];
  if (rawId === undefined) {
    const clientId = event.queryStringParameters?.clientId;
    return clientId
      ? { name: 'list-devices', clientId }
      : { name: 'list-devices' };
  }
  const deviceId = decodeSegment(rawId);
  if (!THING_NAME_PATTERN.test(deviceId)) {
    throw new ApiError(
      400,
      'invalid-device-id',
      `"${deviceId}" is not a device id`,
    );
  }
  return { name: 'get-device', deviceId };
}

function pathOf(event: APIGatewayProxyEventV2) {
  const stage = event.requestContext.stage;
  const path = event.rawPath || '/';
  if (stage && stage !== '$default' && path.startsWith(`/${stage}/`)) {
    return path.slice(stage.length + 1);
  }
  return path;
}

function decodeSegment(segment: string) {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiError(
      400,
      'invalid-device-id',
      'device id is not URL-encoded',
    );
  }
}
