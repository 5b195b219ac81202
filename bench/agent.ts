// The agent benchmark (issue 3): the standalone agent's resident memory and
// CPU idle over a window and during a full set of checks, beside a bare
// Node process, and its bundle size. `npm run bench:agent -- --help` for
// the flags; bench/README.md for what each figure means.
import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { startBenchBroker } from './agent/broker.js';
import { measureBundle } from './agent/bundle.js';
import { measureChecks } from './agent/checks.js';
import { buildChecksChild } from './agent/checks-bundle.js';
import {
  type AgentBenchSettings,
  agentBenchDefaults,
} from './agent/defaults.js';
import { EnrolledDevices } from './agent/enrolled-devices.js';
import { AgentBenchError } from './agent/errors.js';
import { type IdleFigures, type IdleIo, measureIdle } from './agent/idle.js';
import { clockTicksPerSecond } from './agent/proc.js';
import {
  type AgentBenchResult,
  type ExplainedVariant,
  writeResults,
} from './agent/results.js';
import {
  type AgentRun,
  idleRssOf,
  judgeTargets,
  medianRss,
} from './agent/summary.js';
import {
  buildVariant,
  launcherOf,
  VARIANTS,
  type VariantName,
} from './agent/variants.js';
import { describeMachine, loadAverage } from './lib/machine.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_DIR = fileURLToPath(new URL('results', import.meta.url));

const NUMBER_FLAGS = {
  runs: 'runs',
  idle: 'idleSeconds',
  settle: 'settleSeconds',
  'sample-ms': 'sampleIntervalMs',
  'start-timeout': 'startTimeoutSeconds',
  'checks-timeout': 'checksTimeoutSeconds',
} as const satisfies Record<string, keyof AgentBenchSettings>;

const d = agentBenchDefaults;
const USAGE = `Usage: npm run bench:agent -- [options]

  --runs <n>            idle + checks runs in a row (default ${d.runs})
  --idle <s>            idle window (default ${d.idleSeconds})
  --settle <s>          wait after start-up, before a window (default ${d.settleSeconds})
  --sample-ms <ms>      time between /proc readings (default ${d.sampleIntervalMs})
  --start-timeout <s>   hello and start-up report within (default ${d.startTimeoutSeconds})
  --checks-timeout <s>  the full set of checks within (default ${d.checksTimeoutSeconds})
  --explain             add one uncounted idle run per variant of the
                        agent (bench/agent/variants.ts), each with a
                        probe of its heap and loaded modules
  --build               rebuild the bundle even when it is up to date
  --out <dir>           where the results go (default bench/results)
  --no-write            print the summary only, write no results
  -h, --help            this text

Linux only (/proc). Exit status: 0 every target met, 1 a target missed,
2 a run failed.`;

async function main() {
  const { settings, flags } = readOptions();
  const takenAt = new Date().toISOString();
  const machine = describeMachine();
  const node = process.execPath;
  const ticks = clockTicksPerSecond();
  const bundle = await measureBundle(ROOT, node, flags.build);
  const work = await mkdtemp(join(tmpdir(), 'upkeep-bench-agent-'));
  const devices = await EnrolledDevices.create(work);
  const broker = await startBenchBroker(await devices.listener());
  try {
    const child = await buildChecksChild(ROOT, work);
    const launcher = launcherOf(ROOT, node);
    const io = { root: ROOT, node, ticks };
    const enrol = (thingName: string) =>
      devices.enrol(thingName, broker.tlsPort ?? 0);
    const runs: AgentRun[] = [];
    for (let i = 1; i <= settings.runs; i++) {
      const run = { index: i, childBundle: child.path, launcher, enrol };
      runs.push(await runOnce(run, settings, broker, io));
    }
    const explained = flags.explain
      ? await explain(settings, broker, io, work)
      : undefined;
    const result: AgentBenchResult = {
      benchmark: 'agent',
      takenAt,
      command: commandLine(),
      machine,
      settings,
      clockTicksPerSecond: ticks,
      bundle,
      checksChildBytes: child.bytes,
      runs,
      targets: judgeTargets(runs, bundle),
      ...(explained ? { explained } : {}),
    };
    finish(result, flags);
  } finally {
    await broker.close();
    await rm(work, { recursive: true, force: true });
  }
}

interface RunInputs {
  index: number;
  /** The agent with every check (checks-entry.ts). */
  childBundle: string;
  launcher: IdleIo['agent'];
  enrol: NonNullable<IdleIo['enrol']>;
}

async function runOnce(
  { index, childBundle, launcher, enrol }: RunInputs,
  settings: AgentBenchSettings,
  broker: Awaited<ReturnType<typeof startBenchBroker>>,
  io: { root: string; node: string; ticks: number },
): Promise<AgentRun> {
  const load = loadAverage();
  log(`run ${index} of ${settings.runs}, load ${load.join(' ')}`);
  const idle = await measureIdle(
    { ...io, agent: launcher },
    broker,
    settings,
    `bench-agent-idle-${index}`,
  );
  logIdle('idle', idle);
  const enrolled = await measureIdle(
    { ...io, agent: launcher, enrol },
    broker,
    settings,
    `bench-agent-enrolled-${index}`,
  );
  logIdle('enrolled', enrolled);

  const checks = await measureChecks(
    { ...io, childBundle },
    broker,
    settings,
    `bench-agent-checks-${index}`,
  );
  log(
    `  checks: ${checks.run.checks.length} in ` +
      `${checks.window.wallSeconds.toFixed(1)} s, peak ` +
      `${mib(checks.window.peakRssBytes)} MB`,
  );
  return { loadAverage: load, idle, enrolled, checks };
}

function logIdle(label: string, idle: IdleFigures) {
  log(
    `  ${label}: ${mib(idleRssOf(idle))} MB (median), ` +
      `${idle.agent.cpuPercent.toFixed(3)} % CPU ` +
      `(bare Node ${mib(medianRss(idle.bareNode))} MB)`,
  );
}

/**
 * One more idle run per variant (bench/agent/variants.ts), not counted,
 * each with the probe loaded: what each suspected cost is, measured by
 * taking it out.
 */
async function explain(
  settings: AgentBenchSettings,
  broker: Awaited<ReturnType<typeof startBenchBroker>>,
  io: { root: string; node: string; ticks: number },
  work: string,
): Promise<ExplainedVariant[]> {
  const probe = fileURLToPath(new URL('agent/probe.mjs', import.meta.url));
  const explained: ExplainedVariant[] = [];
  for (const name of Object.keys(VARIANTS) as VariantName[]) {
    const variant = await buildVariant(ROOT, work, name, io.node);
    const variantIo = { ...io, agent: variant.agent, probe };
    log(`explain: ${name}, load ${loadAverage().join(' ')}`);
    const idle = variant.restart
      ? await idleAfterRestart(variantIo, broker, settings, work)
      : await measureIdle(variantIo, broker, settings, `bench-${name}`);
    log(`  idle: ${mib(idleRssOf(idle))} MB`);
    explained.push({
      name,
      about: VARIANTS[name].about,
      bundleBytes: shippedBytes(variant.bundle),
      idle,
    });
  }
  return explained;
}

/** A first start runs what is due; the second, on its state, nothing. */
async function idleAfterRestart(
  io: IdleIo,
  broker: Awaited<ReturnType<typeof startBenchBroker>>,
  settings: AgentBenchSettings,
  work: string,
) {
  const stateDir = await mkdtemp(join(work, 'state-'));
  const thingName = 'bench-agent-restarted';
  const first = { ...settings, idleSeconds: 1 };
  await measureIdle(
    { ...io, stateDir, probe: undefined },
    broker,
    first,
    thingName,
  );
  return measureIdle({ ...io, stateDir }, broker, settings, thingName);
}

/** An entry and the chunks beside it, in bytes. */
function shippedBytes(entry: string) {
  const chunks = join(entry, '..', 'chunks');
  const names = readdirSync(chunks).filter((n) => n.endsWith('.mjs'));
  return names.reduce(
    (sum, name) => sum + statSync(join(chunks, name)).size,
    statSync(entry).size,
  );
}

function finish(
  result: AgentBenchResult,
  flags: { noWrite: boolean; out: string },
) {
  const summary = result.targets.map(({ name, value, runs, target, met }) => ({
    name,
    value,
    runs,
    target,
    met,
  }));
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  if (!flags.noWrite) {
    const written = writeResults(flags.out, result);
    log(`wrote ${written.json} and ${written.markdown}`);
  }
  process.exitCode = result.targets.every((t) => t.met) ? 0 : 1;
}

function readOptions() {
  const values = parseFlags();
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }

  const settings: AgentBenchSettings = { ...agentBenchDefaults };
  for (const [flag, key] of Object.entries(NUMBER_FLAGS)) {
    const text = values[flag];
    if (typeof text === 'string') settings[key] = positiveInt(flag, text);
  }
  return {
    settings,
    flags: {
      build: values.build === true,
      explain: values.explain === true,
      noWrite: values['no-write'] === true,
      out: typeof values.out === 'string' ? resolve(values.out) : RESULTS_DIR,
    },
  };
}

/** Flag values by name: strings for the numbers, booleans for switches. */
function parseFlags(): Record<string, string | boolean | undefined> {
  const options: ParseArgsOptionsConfig = {
    out: { type: 'string' },
    build: { type: 'boolean' },
    explain: { type: 'boolean' },
    'no-write': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  };
  for (const flag of Object.keys(NUMBER_FLAGS)) {
    options[flag] = { type: 'string' };
  }
  try {
    const { values } = parseArgs({ strict: true, options });
    return values as Record<string, string | boolean | undefined>;
  } catch (error) {
    throw new AgentBenchError(
      'usage',
      `${(error as Error).message}; see --help`,
    );
  }
}

function positiveInt(flag: string, text: string) {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    throw new AgentBenchError(
      'usage',
      `--${flag} must be a positive integer, got "${text}"`,
    );
  }
  return value;
}

/** How this run was started, to be repeated from the results. */
function commandLine() {
  const args = process.argv.slice(2).join(' ');
  const viaNpm = process.env.npm_lifecycle_event === 'bench:agent';
  if (viaNpm) return `npm run bench:agent${args ? ` -- ${args}` : ''}`;
  return `npx tsx bench/agent.ts${args ? ` ${args}` : ''}`;
}

function mib(bytes: number) {
  return (bytes / 1024 / 1024).toFixed(1);
}

function log(line: string) {
  process.stderr.write(`${line}\n`);
}

try {
  await main();
} catch (error) {
  const code = error instanceof AgentBenchError ? error.code : 'failed';
  log(`bench:agent ${code}: ${(error as Error).message}`);
  process.exitCode = 2;
}
