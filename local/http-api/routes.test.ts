import { describe, expect, it } from 'vitest';
import { API_ROUTE_KEYS, compileRoutes, matchRoute } from './routes.js';

const routes = compileRoutes(API_ROUTE_KEYS);
const explicit = compileRoutes(['GET /devices', 'GET /devices/{id}']);

describe('matchRoute', () => {
  it('matches the OpenAPI document before the catch-all route', () => {
    expect(matchRoute(routes, 'GET', '/openapi.json')).toEqual({
      routeKey: 'GET /openapi.json',
    });
  });

  it('sends any other path and method to the greedy route', () => {
    expect(matchRoute(routes, 'PUT', '/clients/acme/policy')).toEqual({
      routeKey: 'ANY /{proxy+}',
      pathParameters: { proxy: 'clients/acme/policy' },
    });
    expect(matchRoute(routes, 'POST', '/openapi.json')).toMatchObject({
      routeKey: 'ANY /{proxy+}',
    });
  });

  it('does not match the root with a greedy route', () => {
    expect(matchRoute(routes, 'GET', '/')).toBeUndefined();
  });

  it('decodes the device id into a path parameter', () => {
    expect(matchRoute(explicit, 'GET', '/devices/acme%3Alaptop-1')).toEqual({
      routeKey: 'GET /devices/{id}',
      pathParameters: { id: 'acme:laptop-1' },
    });
  });

  it.each([
    ['POST', '/devices'],
    ['GET', '/devices/'],
    ['GET', '/devices/a/b'],
    ['GET', '/device'],
    ['GET', '/devices/%E0%A4%A'],
  ])('finds no explicit route for %s %s', (method, path) => {
    expect(matchRoute(explicit, method, path)).toBeUndefined();
  });

  it('rejects a route key without a method and a path', () => {
    expect(() => compileRoutes(['/devices'])).toThrow(/METHOD \/path/);
  });
});
