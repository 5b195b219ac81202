import { describe, expect, it } from 'vitest';
import { EMPTY_COUNTS, jobRolloutConfig, ringDecision } from './rings.js';

const rollout = { pilotDays: 3, maxFailurePercent: 20, maxPerMinute: 50 };
const start = Date.parse('2026-03-18T02:00:00Z');
const DAY = 86_400_000;

describe('ringDecision', () => {
  it('waits while the pilot runs, then promotes a healthy pilot', () => {
    const pilot = {
      empty: false,
      aborted: false,
      startedAtMs: start,
      counts: { ...EMPTY_COUNTS, succeeded: 9, failed: 1 },
    };
    expect(ringDecision(pilot, rollout, start + DAY).decision).toBe('wait');
    expect(ringDecision(pilot, rollout, start + 3 * DAY)).toEqual({
      decision: 'promote',
      reason: 'pilot-passed',
      failurePercent: 10,
    });
  });

  it('halts once the failure rate reaches the threshold', () => {
    const pilot = {
      empty: false,
      aborted: false,
      startedAtMs: start,
      counts: { ...EMPTY_COUNTS, succeeded: 3, failed: 1, timedOut: 1 },
    };
    expect(ringDecision(pilot, rollout, start + 5 * DAY)).toEqual({
      decision: 'halt',
      reason: 'failure-rate',
      failurePercent: 40,
    });
  });

  it('halts when IoT aborted a pilot job and promotes with no pilot', () => {
    const base = { startedAtMs: start, counts: EMPTY_COUNTS };
    expect(
      ringDecision({ ...base, empty: false, aborted: true }, rollout, start)
        .reason,
    ).toBe('pilot-aborted');
    expect(
      ringDecision({ ...base, empty: true, aborted: false }, rollout, start)
        .reason,
    ).toBe('no-pilot');
  });

  it('waits past the pilot days while no pilot device has reported', () => {
    const pilot = {
      empty: false,
      aborted: false,
      startedAtMs: start,
      counts: { ...EMPTY_COUNTS, queued: 4 },
    };
    expect(ringDecision(pilot, rollout, start + 9 * DAY).reason).toBe(
      'no-pilot-results',
    );
  });
});

describe('jobRolloutConfig', () => {
  it('caps the rate and aborts on the failure percentage', () => {
    expect(jobRolloutConfig(rollout, 4)).toEqual({
      jobExecutionsRolloutConfig: { maximumPerMinute: 50 },
      abortConfig: {
        criteriaList: [
          {
            failureType: 'FAILED',
            action: 'CANCEL',
            thresholdPercentage: 20,
            minNumberOfExecutedThings: 4,
          },
        ],
      },
    });
  });
});
