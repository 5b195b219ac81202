/**
 * Days until a volume is full, from its free-space history. Pure.
 *
 *   free ▲ ·  ·
 *        │      ·  ·            least-squares line through the samples
 *        │   ─────────·──·──    of the window; where it crosses the
 *  floor ┼────────────────────╳ floor is the forecast
 *        └──────────────────────▶ time
 *
 * No forecast from fewer than `minSamples` samples, from samples that span
 * less than `minSpanDays` (a slope over minutes says nothing about weeks),
 * or when the line is flat or rising.
 */
export const forecastDefaults = {
  /** Samples kept per volume. @default 60 */
  maxSamples: 60,
  /**
   * A sample taken within this long of the previous one replaces it, so
   * on-demand runs do not crowd out the weeks of history, ms.
   * @default 12 hours
   */
  minSpacingMs: 12 * 3_600_000,
  /** Samples older than this stay out of the fit, days. @default 30 */
  windowDays: 30,
  /** @default 3 */
  minSamples: 3,
  /** @default 1 */
  minSpanDays: 1,
};

export type ForecastOptions = typeof forecastDefaults;

/** [time in ms since the epoch, available bytes]. */
export type Sample = readonly [number, number];

export interface Forecast {
  daysUntilFull: number;
  /** Bytes the volume loses per day along the fitted line. */
  bytesPerDay: number;
  samples: number;
}

const DAY_MS = 86_400_000;

/** The history with `sample` added, spaced and trimmed. */
export function addSample(
  samples: readonly Sample[],
  sample: Sample,
  options: ForecastOptions = forecastDefaults,
): Sample[] {
  const kept = samples.filter((s) => s[0] < sample[0]);
  const last = kept[kept.length - 1];
  if (last && sample[0] - last[0] < options.minSpacingMs) kept.pop();
  return [...kept, sample].slice(-options.maxSamples);
}

export function forecastFull(
  samples: readonly Sample[],
  now: Date,
  floorBytes: number,
  options: ForecastOptions = forecastDefaults,
): Forecast | undefined {
  const since = now.getTime() - options.windowDays * DAY_MS;
  const window = samples.filter((s) => s[0] >= since);
  const first = window[0];
  const last = window[window.length - 1];
  if (!first || !last || window.length < options.minSamples) return undefined;
  if (last[0] - first[0] < options.minSpanDays * DAY_MS) return undefined;

  const bytesPerDay = -slope(window) * DAY_MS;
  if (!(bytesPerDay > 0)) return undefined;

  const headroom = Math.max(0, last[1] - floorBytes);
  return {
    daysUntilFull: Math.round((headroom / bytesPerDay) * 10) / 10,
    bytesPerDay: Math.round(bytesPerDay),
    samples: window.length,
  };
}

/** Least-squares slope of available bytes over time, bytes per ms. */
function slope(samples: readonly Sample[]): number {
  const n = samples.length;
  // Times relative to the first sample keep the sums well within doubles.
  const t0 = samples[0]?.[0] ?? 0;
  const xs = samples.map((s) => s[0] - t0);
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  const meanY = samples.reduce((a, s) => a + s[1], 0) / n;

  let covariance = 0;
  let variance = 0;
  samples.forEach((s, i) => {
    const dx = (xs[i] ?? 0) - meanX;
    covariance += dx * (s[1] - meanY);
    variance += dx * dx;
  });
  return variance === 0 ? 0 : covariance / variance;
}
