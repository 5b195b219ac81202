// Reads a process's memory and CPU from Linux's /proc, the figures `top`
// and `ps` show, without loading anything into the process measured.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { AgentBenchError } from './errors.js';

export interface ProcMemory {
  /** VmRSS: resident set size now, bytes. */
  rssBytes: number;
  /** VmHWM: the highest resident set size since start or reset, bytes. */
  peakRssBytes: number;
  /** RssAnon: the heaps and stacks, bytes. */
  anonBytes: number;
  /** RssFile: pages of the node binary and libraries in use, bytes. */
  fileBytes: number;
}

export interface ProcCpu {
  /** utime + stime of every thread, clock ticks. */
  ownTicks: number;
  /** cutime + cstime: CPU of children the process waited for, ticks. */
  childTicks: number;
}

/** Fields of /proc/<pid>/status are `Name:\t  1234 kB`. */
export function parseStatus(text: string): ProcMemory {
  const kib = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text);
    if (!match?.[1]) throw procError(`no ${field} in /proc status`);
    return Number(match[1]) * 1024;
  };
  return {
    rssBytes: kib('VmRSS'),
    peakRssBytes: kib('VmHWM'),
    anonBytes: kib('RssAnon'),
    fileBytes: kib('RssFile'),
  };
}

/**
 * /proc/<pid>/stat (proc(5)): the command name in parentheses may hold
 * spaces, so fields are counted from the last `)`. Field 3 (state) is the
 * first after it; utime, stime, cutime, cstime are fields 14 to 17.
 */
export function parseStat(text: string): ProcCpu {
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const field = (n: number) => {
    const value = Number(rest[n - 3]);
    if (!Number.isInteger(value)) {
      throw procError(`field ${n} of /proc stat is not a number`);
    }
    return value;
  };
  return {
    ownTicks: field(14) + field(15),
    childTicks: field(16) + field(17),
  };
}

export function readMemory(pid: number): ProcMemory {
  return parseStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

export function readCpu(pid: number): ProcCpu {
  return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

export interface ProcThreads {
  /** Time on CPU of every thread, ns. */
  runNs: number;
  /** Times a thread was put on a CPU: wake-ups, timers included. */
  timeslices: number;
}

/**
 * The scheduler's own accounting of every thread (the first and third
 * fields of /proc/<pid>/task/<tid>/schedstat). Ticks are 10 ms apart,
 * coarse beside an idle target of 30 ms a minute; these are exact.
 * Threads that ended before the read are missing from the sums.
 */
export function readThreads(pid: number): ProcThreads {
  const total = { runNs: 0, timeslices: 0 };
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8');
      const [runNs, , timeslices] = text.trim().split(' ').map(Number);
      total.runNs += runNs ?? 0;
      total.timeslices += timeslices ?? 0;
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return total;
}

/** Whether the process has a child now (a check's command, say). */
export function hasChildren(pid: number): boolean {
  return readdirSync(`/proc/${pid}/task`).some((tid) => {
    try {
      const path = `/proc/${pid}/task/${tid}/children`;
      return readFileSync(path, 'utf8').trim() !== '';
    } catch {
      return false;
    }
  });
}

/** Resets VmHWM to the current resident size (`5` in clear_refs, proc(5)). */
export function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/** Clock ticks per second of the utime/stime fields (`getconf CLK_TCK`). */
export function clockTicksPerSecond(): number {
  const ticks = Number(
    execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }),
  );
  if (!Number.isInteger(ticks) || ticks <= 0) {
    throw procError(`getconf CLK_TCK gave ${ticks}`);
  }
  return ticks;
}

function procError(message: string) {
  return new AgentBenchError('proc-unreadable', message);
}
