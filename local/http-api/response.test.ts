import { describe, expect, it } from 'vitest';
import { fromHandlerResult, gatewayError } from './response.js';

describe('fromHandlerResult', () => {
  it('keeps status, lower-cases headers and decodes a base64 body', () => {
    const response = fromHandlerResult({
      statusCode: 201,
      headers: { 'Content-Type': 'image/png', 'X-Count': 3 },
      cookies: ['a=1; HttpOnly'],
      body: Buffer.from([1, 2, 3]).toString('base64'),
      isBase64Encoded: true,
    });

    expect(response).toEqual({
      statusCode: 201,
      headers: { 'content-type': 'image/png', 'x-count': '3' },
      cookies: ['a=1; HttpOnly'],
      body: Buffer.from([1, 2, 3]),
    });
  });

  it('takes a result without statusCode as a JSON body, status 200', () => {
    const response = fromHandlerResult({ items: [] });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.body.toString()).toBe('{"items":[]}');
  });

  it('answers 500 for a status code outside 100-599', () => {
    const response = fromHandlerResult({ statusCode: 42 });

    expect(response).toEqual(gatewayError(500));
    expect(response.body.toString()).toBe(
      '{"message":"Internal Server Error"}',
    );
  });
});
