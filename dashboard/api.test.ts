import { describe, expect, it } from 'vitest';
import { apiUrl } from './site/js/api.js';

describe('apiUrl', () => {
  it.each([
    ['http://127.0.0.1:18080/', '/devices', 'http://127.0.0.1:18080/devices'],
    [
      'https://d1.cloudfront.net/api/',
      '/devices/lap-1?limit=5',
      'https://d1.cloudfront.net/api/devices/lap-1?limit=5',
    ],
    [
      'https://d1.cloudfront.net/api',
      '/findings',
      'https://d1.cloudfront.net/api/findings',
    ],
    [
      'https://x.execute-api.eu-west-1.amazonaws.com/',
      '//evil.example/devices',
      'https://x.execute-api.eu-west-1.amazonaws.com/evil.example/devices',
    ],
  ])('puts %s + %s at %s', (base, path, url) => {
    expect(String(apiUrl(base, path))).toBe(url);
  });
});
