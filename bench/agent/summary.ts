import { median } from '../lib/stats.js';
import type { BundleFigures } from './bundle.js';
import type { ChecksFigures } from './checks.js';
import { agentTargets } from './defaults.js';
import type { IdleFigures } from './idle.js';
import type { WindowFigures } from './sampler.js';

/** One run: the idle window (agent and bare Node) and the checks. */
export interface AgentRun {
  /** 1, 5 and 15 minute load averages when the run began. */
  loadAverage: number[];
  /** Started with the plain broker's URL and a thing name. */
  idle: IdleFigures;
  /** Started from an install bundle, as a device is (enrolled-devices.ts). */
  enrolled: IdleFigures;
  checks: ChecksFigures;
}

export type TargetName = keyof typeof agentTargets;

export interface TargetVerdict {
  name: TargetName;
  target: number;
  /** The median over the runs (the bundle has one value). */
  value: number;
  /** Every run's value, to show the spread. */
  runs: number[];
  met: boolean;
}

/** The median of the agent's 1-second RSS samples in the idle window. */
export function idleRssOf(idle: IdleFigures) {
  return medianRss(idle.agent);
}

export function medianRss(window: WindowFigures) {
  return median(window.samples.map((s) => s.rssBytes));
}

export function judgeTargets(
  runs: AgentRun[],
  bundle: BundleFigures,
): TargetVerdict[] {
  const verdict = (name: TargetName, values: number[]): TargetVerdict => {
    const value = median(values);
    const target = agentTargets[name];
    return { name, target, value, runs: values, met: value <= target };
  };
  return [
    verdict(
      'idleRssBytes',
      runs.map((r) => idleRssOf(r.idle)),
    ),
    verdict(
      'idleCpuPercent',
      runs.map((r) => r.idle.agent.cpuPercent),
    ),
    verdict(
      'enrolledIdleRssBytes',
      runs.map((r) => idleRssOf(r.enrolled)),
    ),
    verdict(
      'enrolledIdleCpuPercent',
      runs.map((r) => r.enrolled.agent.cpuPercent),
    ),
    verdict('bundleBytes', [bundle.bytes]),
  ];
}

/**
 * CPU (schedstat) between two points of a window, percent of one core,
 * from the samples nearest them: the start-up tail shows in the first
 * seconds of an idle window, the steady state after.
 */
export function cpuPercentBetween(
  window: WindowFigures,
  fromMs: number,
  toMs: number,
) {
  const points = [{ atMs: 0, runNs: 0 }, ...window.samples];
  const at = (ms: number) =>
    points.reduce((best, p) =>
      Math.abs(p.atMs - ms) < Math.abs(best.atMs - ms) ? p : best,
    );
  const from = at(fromMs);
  const to = at(toMs);
  if (to.atMs <= from.atMs) return Number.NaN;
  return ((to.runNs - from.runNs) / 1e6 / (to.atMs - from.atMs)) * 100;
}
