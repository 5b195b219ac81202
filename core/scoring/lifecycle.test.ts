import { describe, expect, it } from 'vitest';
import { judgeAttempt } from './lifecycle.js';

describe('judgeAttempt', () => {
  it.each([
    [{ jobStatus: 'SUCCEEDED', recheck: 'gone' }, 'resolved'],
    [{ recheck: 'gone' }, 'resolved'],
    [{ jobStatus: 'SUCCEEDED' }, 'wait'],
    [{ recheck: 'present' }, 'wait'],
    [{ jobStatus: 'SUCCEEDED', recheck: 'present' }, 'next-step'],
    [{ jobStatus: 'FAILED' }, 'next-step'],
    [{ jobStatus: 'FAILED', retryPending: true }, 'wait'],
    [{ jobStatus: 'TIMED_OUT' }, 'next-step'],
    [{ jobStatus: 'REJECTED' }, 'escalate-rejected'],
    [
      { jobStatus: 'REJECTED', reason: 'signature-invalid' },
      'escalate-rejected',
    ],
    [{ jobStatus: 'REJECTED', reason: 'not-implemented' }, 'next-step'],
    [{ jobStatus: 'CANCELED' }, 'escalate-canceled'],
  ] as const)('judges %j as %s', (facts, verdict) => {
    expect(judgeAttempt(facts)).toBe(verdict);
  });
});
