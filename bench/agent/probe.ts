import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentBenchError } from './errors.js';

/** What bench/agent/probe.mjs writes from inside a measured process. */
export interface ProbeReading {
  /** Node's own modules loaded (`NativeModule` entries of moduleLoadList). */
  builtinModules: string[];
  heapUsedBytes: number;
  heapPhysicalBytes: number;
  mallocedBytes: number;
  externalBytes: number;
  spaces: { name: string; sizeBytes: number; usedBytes: number }[];
}

const PROBE_WAIT_MS = 5_000;

/**
 * Node flags (the bare process) and environment (the agent, which its
 * launcher starts) that load the probe into each process.
 */
export function probeFiles(probe: string, dir: string) {
  const agentOut = join(dir, 'probe-agent.json');
  const bareOut = join(dir, 'probe-bare.json');
  return {
    args: ['--import', probe],
    agentOut,
    bareOut,
    agentEnv: {
      UPKEEP_BENCH_PROBE_OUT: agentOut,
      NODE_OPTIONS: `--import=${probe}`,
    },
    bareEnv: { UPKEEP_BENCH_PROBE_OUT: bareOut },
  };
}

/** Signals both processes and reads what their probes wrote. */
export async function readProbes(
  agentPid: number,
  barePid: number,
  files: ReturnType<typeof probeFiles>,
) {
  process.kill(agentPid, 'SIGUSR2');
  process.kill(barePid, 'SIGUSR2');
  return {
    agent: await readProbe(files.agentOut),
    bareNode: await readProbe(files.bareOut),
  };
}

async function readProbe(path: string): Promise<ProbeReading> {
  const deadline = performance.now() + PROBE_WAIT_MS;
  while (performance.now() < deadline) {
    try {
      return JSON.parse(await readFile(path, 'utf8')) as ProbeReading;
    } catch {
      await sleep(100);
    }
  }
  throw new AgentBenchError(
    'child-failed',
    `the probe wrote nothing to ${path} within ${PROBE_WAIT_MS} ms`,
  );
}
