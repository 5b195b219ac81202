import { describe, expect, it } from 'vitest';
import { clfTime, type GatewayRequest, toHttpApiEvent } from './event.js';

const request: GatewayRequest = {
  method: 'GET',
  target: '/devices/dev-a?verbose=1&tag=a&tag=b%20c',
  headers: {
    host: '127.0.0.1:18080',
    'user-agent': 'curl/8.5.0',
    accept: 'application/json',
    cookie: 'session=abc; theme=dark',
  },
  body: Buffer.alloc(0),
  sourceIp: '127.0.0.1',
  protocol: 'HTTP/1.1',
  port: 18_080,
};

const identity = {
  apiId: 'local',
  domainName: '127.0.0.1:18080',
  now: Date.UTC(2026, 11, 4, 15, 41, 37),
};

const route = {
  routeKey: 'GET /devices/{id}',
  pathParameters: { id: 'dev-a' },
};

describe('toHttpApiEvent', () => {
  it('builds a 2.0 event with raw path, query and path parameters', () => {
    const event = toHttpApiEvent(request, route, identity);

    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /devices/{id}',
      rawPath: '/devices/dev-a',
      rawQueryString: 'verbose=1&tag=a&tag=b%20c',
      cookies: ['session=abc', 'theme=dark'],
      queryStringParameters: { verbose: '1', tag: 'a,b c' },
      pathParameters: { id: 'dev-a' },
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        http: {
          method: 'GET',
          path: '/devices/dev-a',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'curl/8.5.0',
        },
        routeKey: 'GET /devices/{id}',
        stage: '$default',
        time: '04/Dec/2026:15:41:37 +0000',
        timeEpoch: identity.now,
      },
    });
    expect(event.body).toBeUndefined();
    expect(event.requestContext.requestId).toMatch(/^[A-Za-z0-9+/]{16}$/);
  });

  it('moves cookies out of the headers and adds the forwarding headers', () => {
    const event = toHttpApiEvent(request, route, identity);

    expect(event.headers).toEqual({
      host: '127.0.0.1:18080',
      'user-agent': 'curl/8.5.0',
      accept: 'application/json',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-port': '18080',
      'x-forwarded-proto': 'http',
    });
  });

  it('leaves out query, path parameters and cookies when absent', () => {
    const event = toHttpApiEvent(
      { ...request, target: '/devices', headers: {} },
      { routeKey: 'GET /devices' },
      identity,
    );

    expect(event.rawQueryString).toBe('');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event).not.toHaveProperty('cookies');
  });

  it('passes a JSON body as text and a binary body as base64', () => {
    const json = toHttpApiEvent(
      {
        ...request,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('{"a":1}'),
      },
      route,
      identity,
    );
    const binary = toHttpApiEvent(
      { ...request, headers: {}, body: Buffer.from([0xff, 0x00]) },
      route,
      identity,
    );

    expect([json.body, json.isBase64Encoded]).toEqual(['{"a":1}', false]);
    expect([binary.body, binary.isBase64Encoded]).toEqual(['/wA=', true]);
  });
});

describe('clfTime', () => {
  it('pads day and clock fields', () => {
    expect(clfTime(new Date(Date.UTC(2027, 0, 5, 3, 4, 5)))).toBe(
      '05/Jan/2027:03:04:05 +0000',
    );
  });
});
