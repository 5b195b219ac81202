import { describe, expect, it } from 'vitest';
import { API_ROUTE_KEYS, compileRoutes, matchRoute } from './routes.js';

const routes = compileRoutes(API_ROUTE_KEYS);

describe('matchRoute', () => {
  it('matches the device list without path parameters', () => {
    expect(matchRoute(routes, 'GET', '/devices')).toEqual({
      routeKey: 'GET /devices',
    });
  });

  it('decodes the device id into a path parameter', () => {
    expect(matchRoute(routes, 'GET', '/devices/acme%3Alaptop-1')).toEqual({
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
  ])('finds no route for %s %s', (method, path) => {
    expect(matchRoute(routes, method, path)).toBeUndefined();
  });

  it('rejects a route key without a method and a path', () => {
    expect(() => compileRoutes(['/devices'])).toThrow(/METHOD \/path/);
  });
});
