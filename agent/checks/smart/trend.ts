import type { Severity } from '../../../core/index.js';
import type { SmartBaseline } from './types.js';

/**
 * How a counter compares with the stored baseline. Growth since the last
 * run matters more than a stable old value: a drive with 3 media errors
 * that never grew is history, one that went from 3 to 9 is failing.
 */
export type Trend = 'no-baseline' | 'stable' | 'grown';

export function trendOf(
  key: string,
  current: number,
  baseline: SmartBaseline | undefined,
): Trend {
  const before = baseline?.counters[key];
  if (before === undefined) return 'no-baseline';
  return current > before ? 'grown' : 'stable';
}

/** The severity a counter earns for each trend. */
export interface TrendSeverity {
  'no-baseline': Severity;
  stable: Severity;
  grown: Severity;
}

export function trendDetail(
  key: string,
  current: number,
  baseline: SmartBaseline | undefined,
): Record<string, unknown> {
  const before = baseline?.counters[key];
  return before === undefined
    ? { count: current }
    : { count: current, baseline: before, delta: current - before };
}

/** A media counter: news at first sight, history when stable, failing when it grows. */
export const MEDIA_COUNTER: TrendSeverity = {
  'no-baseline': 'warning',
  stable: 'info',
  grown: 'critical',
};
