import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ProcCpu,
  type ProcMemory,
  type ProcThreads,
  readCpu,
  readMemory,
  readThreads,
} from './proc.js';

/** One reading of a process, taken every sampling interval. */
export interface Sample {
  /** Since the window opened, ms. */
  atMs: number;
  rssBytes: number;
  /** utime + stime since the window opened, ticks. */
  cpuTicks: number;
  /** Time on CPU since the window opened (schedstat), ns. */
  runNs: number;
}

/** What a process cost over a window of wall time. */
export interface WindowFigures {
  wallSeconds: number;
  /** utime + stime over the window, s (10 ms ticks). */
  cpuSeconds: number;
  /** cpuSeconds per wall second, percent of one core. */
  cpuPercent: number;
  /** The same from the scheduler's ns accounting (schedstat). */
  cpuPercentExact: number;
  /** Times any of its threads went on a CPU in the window. */
  wakeups: number;
  /** CPU of children the process started and waited for, s. */
  childCpuSeconds: number;
  rssStartBytes: number;
  /** VmRSS, RssAnon and RssFile when the window closed. */
  end: ProcMemory;
  /** The highest sample (VmRSS or, from the start, VmHWM). */
  rssMaxSampleBytes: number;
  /** VmHWM at the end: the peak since the last reset, sampled or not. */
  peakRssBytes: number;
  samples: Sample[];
}

interface Mark {
  atMs: number;
  cpu: ProcCpu;
  threads: ProcThreads;
}

function mark(pid: number): Mark {
  return {
    atMs: performance.now(),
    cpu: readCpu(pid),
    threads: readThreads(pid),
  };
}

/**
 * Samples `pid` every `intervalMs` until `until` settles (or, given a
 * number, for that many ms), then sums the window up. A sample that
 * falls late because this process was busy is taken late, not skipped.
 */
export async function sampleWindow(
  pid: number,
  until: Promise<unknown> | number,
  intervalMs: number,
  ticksPerSecond: number,
): Promise<WindowFigures> {
  const start = mark(pid);
  const rssStart = readMemory(pid).rssBytes;
  const samples: Sample[] = [];
  const done = typeof until === 'number' ? sleep(until) : until;
  let finished = false;
  const settled = done.then(
    () => {
      finished = true;
    },
    () => {
      finished = true;
    },
  );

  while (!finished) {
    await Promise.race([sleep(intervalMs), settled]);
    samples.push(sampleOf(pid, start));
  }
  await done;
  return summarise(pid, start, rssStart, samples, ticksPerSecond);
}

function sampleOf(pid: number, start: Mark): Sample {
  const now = mark(pid);
  return {
    atMs: Math.round(now.atMs - start.atMs),
    rssBytes: readMemory(pid).rssBytes,
    cpuTicks: now.cpu.ownTicks - start.cpu.ownTicks,
    runNs: now.threads.runNs - start.threads.runNs,
  };
}

function summarise(
  pid: number,
  start: Mark,
  rssStartBytes: number,
  samples: Sample[],
  ticksPerSecond: number,
): WindowFigures {
  const end = mark(pid);
  const memory = readMemory(pid);
  const wallSeconds = (end.atMs - start.atMs) / 1000;
  const cpuSeconds = (end.cpu.ownTicks - start.cpu.ownTicks) / ticksPerSecond;
  const runSeconds = (end.threads.runNs - start.threads.runNs) / 1e9;
  const childTicks = end.cpu.childTicks - start.cpu.childTicks;
  const rssValues = [rssStartBytes, ...samples.map((s) => s.rssBytes)];

  return {
    wallSeconds,
    cpuSeconds,
    cpuPercent: (cpuSeconds / wallSeconds) * 100,
    cpuPercentExact: (runSeconds / wallSeconds) * 100,
    wakeups: end.threads.timeslices - start.threads.timeslices,
    childCpuSeconds: childTicks / ticksPerSecond,
    rssStartBytes,
    end: memory,
    rssMaxSampleBytes: Math.max(...rssValues),
    peakRssBytes: memory.peakRssBytes,
    samples,
  };
}
