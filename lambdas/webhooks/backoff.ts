/**
 * Delay before delivery attempt `attempt + 1`, s: exponential from
 * `baseSeconds`, capped, with "equal jitter" (half fixed, half random), so
 * retries of many subscribers after one outage spread out but never come
 * back at once. `random` is in [0, 1).
 */
export function retryDelaySeconds(
  attempt: number,
  options: { baseSeconds: number; capSeconds: number; random: () => number },
) {
  const ceiling = Math.min(
    options.capSeconds,
    options.baseSeconds * 2 ** Math.max(0, attempt - 1),
  );
  return Math.max(
    1,
    Math.round(ceiling / 2 + (ceiling / 2) * options.random()),
  );
}

/** Whether a failed attempt is worth another (docs/events.md). */
export function isRetryable(outcome: { status?: number }) {
  const { status } = outcome;
  if (status === undefined) return true;
  return status >= 500 || status === 408 || status === 429;
}
