/**
 * Reconnect delays: exponential backoff with full jitter. The ceiling doubles
 * with each failed attempt up to `maxMs`, and the delay is drawn uniformly
 * between 0 and that ceiling, so that a fleet that lost its broker at the
 * same moment does not come back at the same moment.
 *
 * Pure: no timers, no clock. The session owns the timer and passes the
 * random source in, so that tests can pin it.
 */
export interface BackoffOptions {
  /** Ceiling of the first retry, ms. @default 1_000 */
  baseMs: number;
  /** Largest ceiling, ms. @default 300_000 (5 minutes) */
  maxMs: number;
}

export const backoffDefaults: BackoffOptions = {
  baseMs: 1_000,
  maxMs: 300_000,
};

/** A number in [0, 1), as Math.random returns. */
export type RandomSource = () => number;

/** The largest delay attempt `attempt` (0-based) may wait, ms. */
export function backoffCeiling(attempt: number, options: BackoffOptions) {
  // 2 ** 1024 is Infinity; cap the exponent long before the ceiling does.
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 52);
  return Math.min(options.maxMs, options.baseMs * 2 ** exponent);
}

/** The delay before reconnect attempt `attempt` (0-based), ms. */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = backoffDefaults,
  random: RandomSource = Math.random,
) {
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * backoffCeiling(attempt, options));
}

/** Rejects options that would spin (0 ms) or never retry (Infinity). */
export function validateBackoff(options: BackoffOptions): string | undefined {
  const { baseMs, maxMs } = options;
  if (!Number.isFinite(baseMs) || baseMs <= 0) {
    return `backoff baseMs must be a positive number of ms, got ${baseMs}`;
  }
  if (!Number.isFinite(maxMs) || maxMs < baseMs) {
    return `backoff maxMs must be finite and >= baseMs, got ${maxMs}`;
  }
  return undefined;
}
