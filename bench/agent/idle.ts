import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Arrival, BenchBroker } from './broker.js';
import { type Child, exitedEarly, startChild } from './child.js';
import type { AgentBenchSettings } from './defaults.js';
import { AgentBenchError } from './errors.js';
import { type ProbeReading, probeFiles, readProbes } from './probe.js';
import { hasChildren, readCpu, readMemory } from './proc.js';
import { sampleWindow, type WindowFigures } from './sampler.js';

/** What the agent's start cost, up to the end of its start-up run. */
export interface StartFigures {
  /** Spawn to the hello at the broker, ms. */
  toConnectedMs: number;
  /** Spawn to the first report at the broker, ms. */
  toFirstReportMs: number;
  /** Reports sent before it fell quiet (the start-up run). */
  startupReports: number;
  /** Spawn to the idle window: quiet for settleSeconds, no child, ms. */
  toQuietMs: number;
  /** VmHWM when the window opened: the peak of the whole start. */
  peakRssBytes: number;
  /** utime + stime from spawn to the window, s. */
  cpuSeconds: number;
}

export interface IdleFigures {
  start: StartFigures;
  agent: WindowFigures;
  /** `node -e "setInterval(()=>{},1e6)"`, started with the agent. */
  bareNode: WindowFigures;
  /** How the agent ended on SIGTERM: 0 is a clean stop. */
  agentExit: number | string;
  /** With a probe: what each process had loaded when the window closed. */
  probes?: { agent: ProbeReading; bareNode: ProbeReading };
}

/** How the agent process is started: its launcher, or node and flags. */
export interface AgentLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

export interface IdleIo {
  root: string;
  node: string;
  agent: AgentLaunch;
  ticks: number;
  /** bench/agent/probe.mjs, loaded into both processes (explain pass). */
  probe?: string;
  /** The agent's state folder, kept afterwards; a fresh temp one if absent. */
  stateDir?: string;
  /**
   * Enrols the thing and resolves with its install bundle: the agent then
   * starts with `--bundle` (mutual TLS) instead of the plain broker's URL.
   */
  enrol?: (thingName: string) => Promise<string>;
}

/** The bare process the agent is compared with. */
export const BARE_NODE_ARGS = ['-e', 'setInterval(()=>{},1e6)'];

/**
 * Starts the agent and a bare Node process together, waits for the
 * agent's hello and for its start-up run to end, then samples both over
 * the same idle window.
 */
export async function measureIdle(
  io: IdleIo,
  broker: BenchBroker,
  settings: AgentBenchSettings,
  thingName: string,
): Promise<IdleFigures> {
  const stateDir =
    io.stateDir ?? (await mkdtemp(join(tmpdir(), 'upkeep-bench-agent-')));
  const children: Child[] = [];
  try {
    return await idleRun(io, broker, settings, thingName, stateDir, children);
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    if (!io.stateDir) await rm(stateDir, { recursive: true, force: true });
  }
}

async function idleRun(
  io: IdleIo,
  broker: BenchBroker,
  settings: AgentBenchSettings,
  thingName: string,
  stateDir: string,
  children: Child[],
): Promise<IdleFigures> {
  const hello = broker.next(
    thingName,
    'hello',
    settings.startTimeoutSeconds * 1000,
  );
  const reports = broker.watch(thingName, 'reports');
  const agentArgs = io.enrol
    ? [...io.agent.args, '--bundle', await io.enrol(thingName)]
    : [...io.agent.args, '--broker', broker.url, '--thing', thingName];
  agentArgs.push('--state', stateDir);
  const spawnedAt = performance.now();
  const probe = io.probe ? probeFiles(io.probe, stateDir) : undefined;
  const agent = startChild(io.agent.command, agentArgs, io.root, {
    ...io.agent.env,
    ...probe?.agentEnv,
  });
  children.push(agent);
  const bare = startChild(
    io.node,
    [...(probe?.args ?? []), ...BARE_NODE_ARGS],
    io.root,
    probe?.bareEnv,
  );
  children.push(bare);

  const failed = exitedEarly(agent, 'the end of the idle window');
  failed.catch(() => undefined);
  const connected = await Promise.race([hello, failed]);
  const calm = quiet(agent.pid, connected, reports, settings);
  await Promise.race([calm, failed]);
  const start = startFigures(agent.pid, spawnedAt, connected, reports, io);

  const windowMs = settings.idleSeconds * 1000;
  const [agentWindow, bareWindow] = await Promise.all(
    [agent, bare].map((c) =>
      sampleWindow(c.pid, windowMs, settings.sampleIntervalMs, io.ticks),
    ),
  );
  const probes = probe && (await readProbes(agent.pid, bare.pid, probe));
  return {
    start,
    agent: agentWindow as WindowFigures,
    bareNode: bareWindow as WindowFigures,
    agentExit: await agent.stop(),
    ...(probes ? { probes } : {}),
  };
}

/**
 * Resolves once the start-up run is over: nothing published for
 * settleSeconds since the hello or the last report, and no child process
 * (a check's command) running. An agent with nothing due sends no report.
 * Polls every second.
 */
async function quiet(
  pid: number,
  hello: Arrival,
  reports: Arrival[],
  settings: AgentBenchSettings,
) {
  const deadline = performance.now() + settings.checksTimeoutSeconds * 1000;
  const settleMs = settings.settleSeconds * 1000;
  while (performance.now() < deadline) {
    const last = reports.at(-1) ?? hello;
    const calm = performance.now() - last.atMs >= settleMs;
    if (calm && !hasChildren(pid)) return;
    await sleep(1_000);
  }
  throw new AgentBenchError(
    'no-message',
    `the start-up run did not end within ${settings.checksTimeoutSeconds} s ` +
      `(${reports.length} reports)`,
  );
}

function startFigures(
  pid: number,
  spawnedAt: number,
  hello: Arrival,
  reports: Arrival[],
  io: IdleIo,
): StartFigures {
  return {
    toConnectedMs: hello.atMs - spawnedAt,
    toFirstReportMs: (reports[0]?.atMs ?? Number.NaN) - spawnedAt,
    startupReports: reports.length,
    toQuietMs: performance.now() - spawnedAt,
    peakRssBytes: readMemory(pid).peakRssBytes,
    cpuSeconds: readCpu(pid).ownTicks / io.ticks,
  };
}
