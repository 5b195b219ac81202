// The ingest benchmark (issue 2 item 7): reports per second through the
// local path, the handler's CPU per report without I/O, the bundle size and
// its cold import time. `npm run bench:ingest -- --help` for the flags;
// bench/README.md for what each figure means.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureBundle, measureColdImport } from './ingest/bundle.js';
import {
  type IngestBenchSettings,
  ingestBenchDefaults,
} from './ingest/defaults.js';
import {
  handlerCpuInFreshProcess,
  throughputInFreshProcess,
} from './ingest/fresh-process.js';
import { type IngestBenchResult, writeResults } from './ingest/results.js';
import { type IngestRun, judgeTargets } from './ingest/summary.js';
import { BenchError } from './lib/errors.js';
import { describeMachine, loadAverage } from './lib/machine.js';
import { describeRevision } from './lib/revision.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_DIR = fileURLToPath(new URL('results', import.meta.url));
const PARTS = ['throughput', 'cpu', 'bundle'] as const;
/** The folders whose code the figures measure. */
const MEASURED_CODE = ['core', 'lambdas', 'local', 'agent', 'scripts'];
type Part = (typeof PARTS)[number];

const NUMBER_FLAGS = {
  devices: 'devices',
  reports: 'reports',
  'time-limit': 'timeLimitSeconds',
  'cpu-reports': 'cpuReports',
  'cpu-warmup': 'cpuWarmupReports',
  'cold-runs': 'coldImportRuns',
  repeat: 'repeat',
} as const satisfies Record<string, keyof IngestBenchSettings>;

const D = ingestBenchDefaults;
const USAGE = [
  'Usage: npm run bench:ingest -- [options]',
  '',
  `  --devices <n>      MQTT clients, one per device (${D.devices})`,
  `  --reports <n>      reports per throughput run (${D.reports})`,
  `  --time-limit <s>   a throughput run fails after this (${D.timeLimitSeconds})`,
  `  --cpu-reports <n>  reports timed for the handler CPU (${D.cpuReports})`,
  `  --cpu-warmup <n>   reports run first, not timed (${D.cpuWarmupReports})`,
  `  --cold-runs <n>    fresh processes per cold import (${D.coldImportRuns})`,
  `  --repeat <n>       repetitions of the whole suite (${D.repeat})`,
  `  --only <parts>     comma list of ${PARTS.join(', ')} (all)`,
  '  --profile          one more pass, profiled and not counted',
  '  --build            rebuild the bundle even when it is up to date',
  '  --out <dir>        where the results go (bench/results)',
  '  --no-write         print the summary only, write no results',
  '  -h, --help         this text',
  '',
  'Exit status: 0 every target met, 1 a target missed, 2 a run lost',
  'reports or failed.',
].join('\n');

async function main() {
  const { settings, parts, flags } = readOptions();
  const node = node22();
  const bundle = parts.has('bundle')
    ? await measureBundle(ROOT, node, flags.build)
    : undefined;

  const runs: IngestRun[] = [];
  for (let i = 0; i < settings.repeat; i++) {
    log(`run ${i + 1} of ${settings.repeat}, load ${loadAverage().join(' ')}`);
    runs.push(await runOnce(settings, parts, node));
  }
  const profiles = flags.profile
    ? await profilePass(settings, parts)
    : undefined;

  const result: IngestBenchResult = {
    benchmark: 'ingest',
    takenAt: new Date().toISOString(),
    command: commandLine(),
    machine: describeMachine(),
    revision: describeRevision(ROOT, MEASURED_CODE),
    settings,
    ...(bundle ? { bundle } : {}),
    runs,
    targets: judgeTargets(runs, bundle),
    incomplete: incompleteRuns(runs),
    ...(profiles ? { profiles } : {}),
  };
  process.stdout.write(`${JSON.stringify(summaryOf(result), null, 2)}\n`);
  if (!flags.noWrite) {
    const written = writeResults(flags.out, result);
    log(`wrote ${written.json} and ${written.markdown}`);
  }
  process.exitCode = exitStatus(result);
}

async function runOnce(
  settings: IngestBenchSettings,
  parts: Set<Part>,
  node: string,
): Promise<IngestRun> {
  const run: IngestRun = {
    loadAverageAtStart: loadAverage(),
    errors: [],
    warnings: [],
  };
  // A part that throws is recorded and the others still run.
  const attempt = async (part: Part, measure: () => Promise<void>) => {
    if (!parts.has(part)) return;
    await measure().catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      run.errors.push(`${part}: ${message}`);
      log(`  ${part} failed: ${message}`);
    });
  };

  await attempt('throughput', async () => {
    const outcome = await throughputInFreshProcess(throughputOptions(settings));
    run.throughput = outcome.figures;
    run.warnings.push(...outcome.warnings.map((w) => `throughput: ${w}`));
    const { reportsPerSecond, complete } = run.throughput;
    const note = complete ? '' : ' (INCOMPLETE: reports lost or late)';
    log(`  ${Math.round(reportsPerSecond)} reports/s${note}`);
  });
  await attempt('cpu', async () => {
    run.handlerCpu = (
      await handlerCpuInFreshProcess(cpuOptions(settings))
    ).figures;
    log(`  ${run.handlerCpu.handlerCpuMsPerReport.toFixed(3)} ms CPU/report`);
  });
  await attempt('bundle', async () => {
    const runs = settings.coldImportRuns;
    run.coldImport = await measureColdImport(ROOT, node, runs);
    log(`  cold import ${run.coldImport.medianMs} ms`);
  });
  return run;
}

/** One more pass under the profiler; the raw profiles go to the OS temp. */
async function profilePass(settings: IngestBenchSettings, parts: Set<Part>) {
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-bench-profile-'));
  const files = {
    localPath: join(dir, 'ingest-local-path.cpuprofile'),
    handler: join(dir, 'ingest-handler.cpuprofile'),
  };
  log(`profiled pass (not counted), V8 profiles in ${dir}`);
  const localPath = parts.has('throughput')
    ? (
        await throughputInFreshProcess({
          ...throughputOptions(settings),
          profileFile: files.localPath,
        })
      ).figures.profile
    : undefined;
  const handler = parts.has('cpu')
    ? (
        await handlerCpuInFreshProcess({
          ...cpuOptions(settings),
          profileFile: files.handler,
        })
      ).figures.profile
    : undefined;
  return { localPath, handler };
}

function throughputOptions(settings: IngestBenchSettings) {
  return {
    devices: settings.devices,
    reports: settings.reports,
    timeLimitSeconds: settings.timeLimitSeconds,
  };
}

function cpuOptions(settings: IngestBenchSettings) {
  return {
    devices: settings.devices,
    reports: settings.cpuReports,
    warmupReports: settings.cpuWarmupReports,
    batchSize: settings.batchSize,
  };
}

function readOptions() {
  const values = parseFlags();
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }

  const settings: IngestBenchSettings = { ...ingestBenchDefaults };
  for (const [flag, key] of Object.entries(NUMBER_FLAGS)) {
    const text = (values as Record<string, unknown>)[flag];
    if (typeof text === 'string') settings[key] = positiveInt(flag, text);
  }
  return {
    settings,
    parts: readParts(values.only),
    flags: {
      profile: values.profile === true,
      build: values.build === true,
      noWrite: values['no-write'] === true,
      out: typeof values.out === 'string' ? resolve(values.out) : RESULTS_DIR,
    },
  };
}

function parseFlags() {
  try {
    return parseArgs({
      strict: true,
      options: {
        ...Object.fromEntries(
          Object.keys(NUMBER_FLAGS).map((f) => [
            f,
            { type: 'string' as const },
          ]),
        ),
        only: { type: 'string' },
        out: { type: 'string' },
        profile: { type: 'boolean' },
        build: { type: 'boolean' },
        'no-write': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new BenchError('usage', `${(error as Error).message}; see --help`);
  }
}

function positiveInt(flag: string, text: string) {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    throw new BenchError(
      'usage',
      `--${flag} must be a positive integer, got "${text}"`,
    );
  }
  return value;
}

function readParts(only: unknown): Set<Part> {
  if (typeof only !== 'string') return new Set(PARTS);
  const names = only.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !PARTS.includes(n as Part));
  if (unknown.length > 0) {
    throw new BenchError(
      'usage',
      `--only takes ${PARTS.join(', ')}, got "${unknown.join(', ')}"`,
    );
  }
  return new Set(names as Part[]);
}

/**
 * The Node.js of the `node` devDependency, which Lambda's runtime matches;
 * the one running this script when it is missing.
 */
function node22() {
  const local = join(ROOT, 'node_modules', '.bin', 'node');
  return existsSync(local) ? local : process.execPath;
}

/** How this run was started, to be repeated from the results. */
function commandLine() {
  const args = process.argv.slice(2).join(' ');
  const viaNpm = process.env.npm_lifecycle_event === 'bench:ingest';
  if (viaNpm) return `npm run bench:ingest${args ? ` -- ${args}` : ''}`;
  return `npx tsx bench/ingest.ts${args ? ` ${args}` : ''}`;
}

/** Runs that lost reports or where a part failed, with why. */
function incompleteRuns(runs: IngestRun[]) {
  return runs.flatMap((run, i) => {
    const lost =
      run.throughput && !run.throughput.complete ? run.throughput.failures : [];
    const why = [...lost, ...run.errors];
    return why.length > 0 ? [`run ${i + 1}: ${why.join('; ')}`] : [];
  });
}

/** The JSON printed at the end: verdicts and the figures behind them. */
function summaryOf(result: IngestBenchResult) {
  return {
    takenAt: result.takenAt,
    command: result.command,
    machine: result.machine,
    targets: result.targets.map(({ name, median, runs, unit, bar, pass }) => ({
      name,
      median,
      runs,
      unit,
      target: bar,
      pass,
    })),
    incomplete: result.incomplete,
  };
}

function exitStatus(result: IngestBenchResult) {
  if (result.incomplete.length > 0) return 2;
  return result.targets.every((t) => t.pass) ? 0 : 1;
}

function log(line: string) {
  process.stderr.write(`${line}\n`);
}

main().catch((error: unknown) => {
  if (error instanceof BenchError) log(`${error.code}: ${error.message}`);
  else if (error instanceof Error) log(error.stack ?? error.message);
  else log(String(error));
  process.exitCode = 2;
});
