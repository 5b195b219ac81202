import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ApiError } from './responses.js';
import type { ApiRoute } from './route-types.js';

/**
 * Matches requests to the route tables. It reads the raw path, less a named
 * stage's prefix, so that explicit gateway routes and a catch-all route
 * behave the same: the gateway's route key plays no part.
 */
export interface RouteMatch {
  route: ApiRoute;
  params: Record<string, string>;
}

interface Compiled {
  route: ApiRoute;
  segments: string[];
}

export class Router {
  readonly #compiled: Compiled[];

  constructor(routes: readonly ApiRoute[]) {
    this.#compiled = routes.map((route) => ({
      route,
      segments: route.path.split('/').slice(1),
    }));
    assertUnique(routes);
  }

  match(event: APIGatewayProxyEventV2): RouteMatch {
    const path = pathOf(event);
    const method = event.requestContext.http.method.toUpperCase();
    const segments = path.split('/').slice(1);

    const onPath: Compiled[] = [];
    let params: Record<string, string> | undefined;
    for (const compiled of this.#compiled) {
      const found = matchSegments(compiled.segments, segments);
      if (!found) continue;
      onPath.push(compiled);
      if (compiled.route.method === method) {
        params = found;
        return { route: compiled.route, params };
      }
    }

    if (onPath.length === 0) {
      throw new ApiError(404, 'route-not-found', `no route for ${path}`);
    }
    const allow = onPath.map((c) => c.route.method).join(', ');
    throw new ApiError(
      405,
      'method-not-allowed',
      `${method} is not allowed here`,
      { allow },
    );
  }
}

function matchSegments(pattern: string[], actual: string[]) {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};

  for (const [i, part] of pattern.entries()) {
    const value = actual[i] ?? '';
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    if (!name) {
      if (part !== value) return undefined;
      continue;
    }
    if (value === '') return undefined;
    params[name] = decodeSegment(value);
  }
  return params;
}

function decodeSegment(segment: string) {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiError(
      400,
      'invalid-path',
      'a path segment is not URL-encoded',
    );
  }
}

export function pathOf(event: APIGatewayProxyEventV2) {
  const stage = event.requestContext.stage;
  const path = event.rawPath || '/';
  if (stage && stage !== '$default' && path.startsWith(`/${stage}/`)) {
    return path.slice(stage.length + 1);
  }
  return path;
}

function assertUnique(routes: readonly ApiRoute[]) {
  const seen = new Set<string>();
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    if (seen.has(key) || seen.has(route.operationId)) {
      throw new Error(`route ${key} (${route.operationId}) is listed twice`);
    }
    seen.add(key);
    seen.add(route.operationId);
  }
}
