import { describe, expect, it } from 'vitest';
import {
  backoffCeiling,
  backoffDefaults,
  backoffDelay,
  validateBackoff,
} from './backoff.js';

const options = { baseMs: 1_000, maxMs: 30_000 };

describe('backoffCeiling', () => {
  it('doubles with each attempt from the base', () => {
    const ceilings = [0, 1, 2, 3, 4].map((a) => backoffCeiling(a, options));

    expect(ceilings).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
  });

  it('stops at the maximum', () => {
    expect(backoffCeiling(5, options)).toBe(30_000);
    expect(backoffCeiling(10_000, options)).toBe(30_000);
  });

  it('treats a negative or fractional attempt as the nearest valid one', () => {
    expect(backoffCeiling(-3, options)).toBe(1_000);
    expect(backoffCeiling(2.7, options)).toBe(4_000);
  });
});

describe('backoffDelay', () => {
  // Oracle: full jitter draws uniformly in [0, ceiling), so the random
  // source maps linearly onto the delay.
  it('scales the ceiling by the random draw', () => {
    expect(backoffDelay(3, options, () => 0)).toBe(0);
    expect(backoffDelay(3, options, () => 0.5)).toBe(4_000);
    expect(backoffDelay(3, options, () => 0.999_999)).toBe(7_999);
  });

  it('never exceeds the maximum however many attempts failed', () => {
    const delays = Array.from({ length: 200 }, (_, a) =>
      backoffDelay(a, options, () => 0.999_999),
    );

    expect(Math.max(...delays)).toBeLessThan(30_000);
    expect(delays[199]).toBe(29_999);
  });

  it('clamps a random source that leaves [0, 1)', () => {
    expect(backoffDelay(0, options, () => -1)).toBe(0);
    expect(backoffDelay(0, options, () => 7)).toBe(1_000);
  });

  it('spreads delays over the whole window with a real random source', () => {
    const delays = Array.from({ length: 2_000 }, () => backoffDelay(4));
    const low = delays.filter((d) => d < 8_000).length;

    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(16_000);
    // Half the window holds about half the draws; 35-65 % leaves room.
    expect(low / delays.length).toBeGreaterThan(0.35);
    expect(low / delays.length).toBeLessThan(0.65);
  });
});

describe('validateBackoff', () => {
  it('accepts the defaults', () => {
    expect(validateBackoff(backoffDefaults)).toBeUndefined();
  });

  it('rejects a zero base, which would reconnect in a tight loop', () => {
    expect(validateBackoff({ baseMs: 0, maxMs: 10 })).toMatch(/baseMs/);
  });

  it('rejects a maximum below the base', () => {
    expect(validateBackoff({ baseMs: 100, maxMs: 10 })).toMatch(/maxMs/);
  });
});
