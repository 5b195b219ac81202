import { describe, expect, it } from 'vitest';
import { isRetryable, retryDelaySeconds } from './backoff.js';
import { checkWebhookUrl } from './url-policy.js';

describe('checkWebhookUrl', () => {
  it.each([
    ['aws', 'https://psa.example.com/hooks/upkeep', true],
    ['aws', 'http://psa.example.com/hooks', false],
    ['aws', 'https://169.254.169.254/latest/meta-data', false],
    ['aws', 'https://10.0.0.5/hooks', false],
    ['aws', 'https://127.0.0.1/hooks', false],
    ['aws', 'https://[::1]/hooks', false],
    ['aws', 'https://user:pw@psa.example.com/', false],
    ['local', 'http://127.0.0.1:8080/hooks', true],
    ['local', 'http://[::1]:8080/hooks', true],
    ['local', 'http://localhost:8080/hooks', false],
    ['local', 'http://192.0.2.10/hooks', false],
    ['local', 'https://psa.example.com/hooks', false],
    ['local', 'not a url', false],
  ] as const)('%s mode, %s: allowed %s', (mode, url, allowed) => {
    const check = () => checkWebhookUrl(url, mode);

    if (allowed) expect(check().href).toBe(new URL(url).href);
    else expect(check).toThrow(/URL|https|private|local mode|credentials/);
  });
});

describe('retries', () => {
  it('doubles the delay, keeps half of it fixed, and caps it', () => {
    const at = (attempt: number, random: number) =>
      retryDelaySeconds(attempt, {
        baseSeconds: 30,
        capSeconds: 3600,
        random: () => random,
      });

    expect([1, 2, 3].map((n) => at(n, 0))).toEqual([15, 30, 60]);
    expect([1, 2, 3].map((n) => at(n, 0.999))).toEqual([30, 60, 120]);
    expect(at(20, 0)).toBe(1800);
    expect(at(20, 0.999)).toBe(3598);
  });

  it.each([
    [500, true],
    [503, true],
    [408, true],
    [429, true],
    [undefined, true],
    [400, false],
    [401, false],
    [404, false],
    [410, false],
  ])('retries status %s: %s', (status, expected) => {
    expect(isRetryable({ status })).toBe(expected);
  });
});
