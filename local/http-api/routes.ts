/**
 * The HTTP API's routes, written as API Gateway route keys, as infra
 * declares them (infra/lib/http-api.ts): the OpenAPI document without a
 * token, everything else through one greedy route with the JWT authorizer;
 * the function routes by path itself (lambdas/api/routes.ts). A `{name}`
 * segment matches one non-empty path segment and becomes a path
 * parameter; a last `{name+}` matches the rest of the path; method `ANY`
 * matches every method.
 */
export const API_ROUTE_KEYS = ['GET /openapi.json', 'ANY /{proxy+}'] as const;

/** Routes that need no token (no authorizer in infra). */
export const PUBLIC_ROUTE_KEYS = ['GET /openapi.json'] as const;

export interface RouteMatch {
  routeKey: string;
  /** Decoded path parameters, absent when the route has none. */
  pathParameters?: Record<string, string>;
}

interface CompiledRoute {
  routeKey: string;
  method: string;
  segments: string[];
}

export function compileRoutes(routeKeys: readonly string[]): CompiledRoute[] {
  return routeKeys.map((routeKey) => {
    const [method, path] = routeKey.split(' ');
    if (!method || !path?.startsWith('/')) {
      throw new Error(`route key must be "METHOD /path", got "${routeKey}"`);
    }
    return { routeKey, method, segments: path.split('/').slice(1) };
  });
}

/** The route a request matches, or undefined (API Gateway answers 404). */
export function matchRoute(
  routes: readonly CompiledRoute[],
  method: string,
  rawPath: string,
): RouteMatch | undefined {
  const segments = rawPath.split('/').slice(1);

  for (const route of routes) {
    if (route.method !== method && route.method !== 'ANY') continue;
    const parameters = matchSegments(route.segments, segments);
    if (!parameters) continue;

    const hasParameters = Object.keys(parameters).length > 0;
    return hasParameters
      ? { routeKey: route.routeKey, pathParameters: parameters }
      : { routeKey: route.routeKey };
  }
  return undefined;
}

function matchSegments(
  pattern: string[],
  actual: string[],
): Record<string, string> | undefined {
  const greedy = /^\{(\w+)\+\}$/.exec(pattern.at(-1) ?? '')?.[1];
  if (greedy) return matchGreedy(pattern, actual, greedy);
  if (pattern.length !== actual.length) return undefined;
  const parameters: Record<string, string> = {};

  for (const [i, part] of pattern.entries()) {
    const value = actual[i] ?? '';
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    if (name) {
      if (value === '') return undefined;
      const decoded = safeDecode(value);
      if (decoded === undefined) return undefined;
      parameters[name] = decoded;
    } else if (part !== value) {
      return undefined;
    }
  }
  return parameters;
}

/** `/{proxy+}`: the fixed head must match, the rest must not be empty. */
function matchGreedy(
  pattern: string[],
  actual: string[],
  name: string,
): Record<string, string> | undefined {
  const head = pattern.slice(0, -1);
  if (actual.length <= head.length) return undefined;
  const fixed = matchSegments(head, actual.slice(0, head.length));
  const rest = actual.slice(head.length).join('/');
  if (!fixed || rest === '') return undefined;
  const decoded = safeDecode(rest);
  return decoded === undefined ? undefined : { ...fixed, [name]: decoded };
}

function safeDecode(value: string) {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
