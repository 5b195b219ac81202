import type { Machine } from '../lib/machine.js';
import { machineTable, writeResultFiles } from '../lib/result-files.js';
import { median, round } from '../lib/stats.js';
import type { BundleFigures } from './bundle.js';
import type { AgentBenchSettings } from './defaults.js';
import { KB, MB } from './defaults.js';
import type { IdleFigures } from './idle.js';
import type { ProbeReading } from './probe.js';
import {
  type AgentRun,
  cpuPercentBetween,
  idleRssOf,
  medianRss,
  type TargetVerdict,
} from './summary.js';
import type { VariantName } from './variants.js';

/** An uncounted idle run of a variant of the agent (--explain). */
export interface ExplainedVariant {
  name: VariantName;
  about: string;
  bundleBytes: number;
  idle: IdleFigures;
}

export interface AgentBenchResult {
  benchmark: 'agent';
  takenAt: string;
  command: string;
  machine: Machine;
  settings: AgentBenchSettings;
  /** Clock ticks per second of utime/stime (`getconf CLK_TCK`). */
  clockTicksPerSecond: number;
  bundle: BundleFigures;
  /** Size of the checks child: the agent with every check, bundled alike. */
  checksChildBytes: number;
  runs: AgentRun[];
  targets: TargetVerdict[];
  explained?: ExplainedVariant[];
}

const LABELS: Record<TargetVerdict['name'], [string, (n: number) => string]> = {
  idleRssBytes: ['Idle resident memory', mb],
  idleCpuPercent: ['Idle CPU (% of one core)', percent],
  enrolledIdleRssBytes: ['Idle resident memory, enrolled (mTLS, jobs)', mb],
  enrolledIdleCpuPercent: ['Idle CPU, enrolled (% of one core)', percent],
  bundleBytes: ['Bundle size (dist/agent/, entry and chunks)', kb],
};

/** Writes agent-<time>.json and rewrites agent-latest.md; returns paths. */
export function writeResults(dir: string, result: AgentBenchResult) {
  return writeResultFiles(dir, 'agent', result, renderMarkdown);
}

export function renderMarkdown(r: AgentBenchResult, jsonName: string) {
  return [
    '# Agent benchmark: latest results',
    '',
    `Taken ${r.takenAt} with \`${r.command}\`. All figures: ` +
      `[${jsonName}](${jsonName}). What each figure means: ` +
      '[../README.md](../README.md).',
    '',
    ...machineSection(r),
    ...targetSection(r),
    ...idleSection(r),
    ...checksSection(r),
    ...bundleSection(r),
    ...explainSection(r.explained),
  ].join('\n');
}

function machineSection(r: AgentBenchResult) {
  const m = r.machine;
  const loads = r.runs.map(
    (run, i) => `run ${i + 1}: ${run.loadAverage.join(' / ')}`,
  );
  return [
    ...machineTable(m),
    `Load average (1 / 5 / 15 min) at the start: ${m.loadAverage.join(' / ')}` +
      `; when each run started: ${loads.join('; ')}. The machine was ` +
      'shared with other work.',
    '',
  ];
}

function targetSection(r: AgentBenchResult) {
  const runs = r.runs.map((_, i) => `run ${i + 1}`);
  const rows = r.targets.map((t) => {
    const [label, format] = LABELS[t.name];
    const cells = runs.map((_, i) =>
      t.runs[i] === undefined ? '-' : format(t.runs[i]),
    );
    const result = t.met ? 'pass' : '**FAIL**';
    return (
      `| ${label} | ${cells.join(' | ')} | ${format(t.value)} | ` +
      `≤ ${format(t.target)} | ${result} |`
    );
  });
  return [
    '## Figures against the targets',
    '',
    `| figure | ${runs.join(' | ')} | median | target | result |`,
    `|---|${runs.map(() => '---|').join('')}---|---|---|`,
    ...rows,
    '',
    `1 KB = 1024 bytes, 1 MB = 1024 KB. Idle resident memory is the median ` +
      `of the 1-second VmRSS samples of a ${r.settings.idleSeconds} s ` +
      'window; idle CPU is utime + stime over that window.',
    '',
    ...missedMemory(r),
  ];
}

/**
 * For a missed memory target, how far above a bare Node process the
 * agent is; the reasons are in docs/agent.md (Process and memory).
 */
function missedMemory(r: AgentBenchResult) {
  const figures = {
    idleRssBytes: (run: AgentRun) => run.idle,
    enrolledIdleRssBytes: (run: AgentRun) => run.enrolled,
  } as const;
  return r.targets.flatMap((target) => {
    if (target.met || !(target.name in figures)) return [];
    const idleOf = figures[target.name as keyof typeof figures];
    const bare = median(r.runs.map((run) => medianRss(idleOf(run).bareNode)));
    const [label] = LABELS[target.name];
    return [
      `${label} misses by ${mb(target.value - target.target)}: the agent ` +
        `is ${mb(target.value - bare)} above a bare Node process ` +
        `(${mb(bare)}) on this machine. What that is made of and what is ` +
        'left to cut: ../../docs/agent.md, "Process and memory"' +
        (r.explained ? ', and the explain table below.' : '.'),
      '',
    ];
  });
}

/** Where the idle window's CPU split falls: the start-up tail before it. */
const TAIL_MS = 10_000;

function idleSection(r: AgentBenchResult) {
  const header = [
    '| run | agent RSS | bare Node RSS | agent − bare | agent anon / file | ' +
      'bare anon / file | agent CPU (ticks) | agent CPU (schedstat) | ' +
      `first ${TAIL_MS / 1000} s / rest | agent times on CPU | ` +
      'bare CPU (schedstat) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  return [
    '## Idle, beside a bare Node process',
    '',
    'The agent as a device starts it (dist/agent/upkeep-agent, the ' +
      "launcher with the agent's node flags, checks in helper processes), " +
      'first with `--broker --thing --state` against the project broker on ' +
      '127.0.0.1 (plain MQTT), then enrolled: with `--bundle --state`, an ' +
      'install bundle as `upkeep enroll` writes it (a certificate of a ' +
      'local CA, mutual TLS to the same broker, its cycle group, a ' +
      'job-signing key, so jobs are on; bench/agent/enrolled-devices.ts). ' +
      'Each is started beside `node -e "setInterval(()=>{},1e6)"`. The ' +
      "window opens once the agent's start-up run is over (no report for " +
      `${r.settings.settleSeconds} s, no child process) and samples both ` +
      'processes at once. RSS is split into anonymous memory (heaps) and ' +
      'file pages (the node binary and libraries). CPU "ticks" is utime + ' +
      'stime; "schedstat" is the scheduler\'s ns count of every thread, ' +
      `also split into the window's first ${TAIL_MS / 1000} s and the rest.`,
    '',
    'Plain MQTT:',
    '',
    ...header,
    ...r.runs.map((run, i) => idleRow(i + 1, run.idle)),
    '',
    'Enrolled (mutual TLS, jobs on):',
    '',
    ...header,
    ...r.runs.map((run, i) => idleRow(i + 1, run.enrolled)),
    '',
    ...startTable(r.runs),
  ];
}

function idleRow(index: number, idle: IdleFigures) {
  const { agent, bareNode } = idle;
  const end = agent.wallSeconds * 1000;
  return (
    `| ${index} | ${mb(idleRssOf(idle))} | ${mb(medianRss(bareNode))} | ` +
    `${mb(idleRssOf(idle) - medianRss(bareNode))} | ` +
    `${mb(agent.end.anonBytes)} / ${mb(agent.end.fileBytes)} | ` +
    `${mb(bareNode.end.anonBytes)} / ${mb(bareNode.end.fileBytes)} | ` +
    `${percent(agent.cpuPercent)} | ${percent(agent.cpuPercentExact)} | ` +
    `${percent(cpuPercentBetween(agent, 0, TAIL_MS))} / ` +
    `${percent(cpuPercentBetween(agent, TAIL_MS, end))} | ` +
    `${agent.wakeups} | ${percent(bareNode.cpuPercentExact)} |`
  );
}

function startTable(runs: AgentRun[]) {
  const rows = runs.map((run, i) => {
    const s = run.idle.start;
    return (
      `| ${i + 1} | ${round(s.toConnectedMs)} | ${round(s.toFirstReportMs)} | ` +
      `${s.startupReports} | ${round(s.toQuietMs / 1000, 1)} | ` +
      `${mb(s.peakRssBytes)} | ${round(s.cpuSeconds, 2)} |`
    );
  });
  return [
    '| run | spawn to hello (ms) | spawn to first report (ms) | ' +
      'start-up reports | spawn to idle window (s) | peak RSS at start | ' +
      'CPU s to the window |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ];
}

function checksSection(r: AgentBenchResult) {
  const rows = r.runs.map((run, i) => {
    const { window: w, run: line } = run.checks;
    return (
      `| ${i + 1} | ${line.checks.length} | ${round(w.wallSeconds, 2)} | ` +
      `${round(w.cpuSeconds, 2)} | ${round(w.childCpuSeconds, 2)} | ` +
      `${mb(run.checks.rssBeforeBytes)} | ${mb(w.peakRssBytes)} | ` +
      `${mb(run.checks.rssAfterBytes)} |`
    );
  });
  return [
    '## During the full set of checks',
    '',
    'The agent with every check it has (bench/agent/checks-entry.ts, ' +
      `bundled like the agent, ${kb(r.checksChildBytes)}, each check in ` +
      "a helper process of the shipped bundle, the launcher's flags), " +
      'asked over stdin to run each once on demand, one after the other, ' +
      'until the broker acknowledged every report. Peak RSS is VmHWM of ' +
      'the agent, reset when the checks begin. Children CPU is what the ' +
      'helpers and the commands the checks start (df, apt-get, smartctl) ' +
      'used.',
    '',
    '| run | checks | wall s | agent CPU s | children CPU s | RSS before | ' +
      'peak RSS | RSS after |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...perCheckTable(r.runs),
  ];
}

function perCheckTable(runs: AgentRun[]) {
  const kinds = runs[0]?.checks.run.checks.map((c) => c.kind) ?? [];
  const rows = kinds.map((kind) => {
    const figures = runs.flatMap((run) =>
      run.checks.run.checks.filter((c) => c.kind === kind),
    );
    const last = figures.at(-1);
    return (
      `| ${kind} | ${round(median(figures.map((f) => f.ms)))} | ` +
      `${last?.verdict ?? '-'} | ${last?.findings ?? '-'} | ` +
      `${last?.reportBytes ?? '-'} |`
    );
  });
  return [
    '| check | median ms | verdict (last run) | findings | report bytes |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ];
}

function bundleSection(r: AgentBenchResult) {
  const b = r.bundle;
  const rows = b.composition
    .slice(0, 15)
    .map(
      (s) =>
        `| ${s.source} | ${kb(s.bytes)} | ${percent((s.bytes / b.bytes) * 100)} |`,
    );
  return [
    '## Bundle',
    '',
    `${b.path} and its ${(b.files?.length ?? 1) - 1} chunks: ` +
      `${b.bytes} bytes (${kb(b.bytes)}), ${kb(b.gzipBytes)} gzipped` +
      `${b.rebuilt ? '; rebuilt by this run' : ''}. What the minified ` +
      'bytes are (esbuild metafile of the same build):',
    '',
    '| package or folder | bytes | share |',
    '|---|---|---|',
    ...rows,
    '',
  ];
}

function mb(bytes: number) {
  return `${round(bytes / MB, 1)} MB`;
}

function kb(bytes: number) {
  return `${round(bytes / KB, 1)} KB`;
}

function percent(value: number) {
  return `${round(value, 3)} %`;
}

function explainSection(explained: ExplainedVariant[] | undefined) {
  if (!explained) return [];
  const base = explained[0] ? idleRssOf(explained[0].idle) : Number.NaN;
  const rows = explained.map((v) => {
    const { agent } = v.idle;
    const probe = v.idle.probes?.agent;
    return (
      `| ${v.name} | ${v.about} | ${kb(v.bundleBytes)} | ` +
      `${mb(idleRssOf(v.idle))} | ${mb(idleRssOf(v.idle) - base)} | ` +
      `${mb(agent.end.anonBytes)} / ` +
      `${mb(agent.end.fileBytes)} | ${probeCells(probe)} | ` +
      `${percent(agent.cpuPercentExact)} |`
    );
  });
  const bare = explained[0]?.idle.probes?.bareNode;
  return [
    '## Where the idle memory goes (--explain)',
    '',
    'One more idle run per variant of the agent, not counted above, each ' +
      'with bench/agent/probe.mjs loaded to read its V8 heap and the ' +
      "modules of Node's own it loaded when the window closed. A variant " +
      'takes one of the measures out (or adds a candidate flag); "vs ' +
      'as-built" is what that measure is worth (one run each, so ' +
      'differences of 1 MB or less are within noise).',
    '',
    '| variant | what differs | bundle | idle RSS | vs as-built | ' +
      'anon / file | V8 heap used / resident | malloc | Node modules ' +
      'loaded | CPU (schedstat) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    `| bare Node | | | | | | ${probeCells(bare)} | |`,
    '',
    ...extraModules(explained[0]?.idle),
  ];
}

function probeCells(probe: ProbeReading | undefined) {
  if (!probe) return '- | - | -';
  return (
    `${mb(probe.heapUsedBytes)} / ${mb(probe.heapPhysicalBytes)} | ` +
    `${mb(probe.mallocedBytes)} | ${probe.builtinModules.length}`
  );
}

/** The Node modules the agent loads that a bare process does not. */
function extraModules(idle: IdleFigures | undefined) {
  const probes = idle?.probes;
  if (!probes) return [];
  const bare = new Set(probes.bareNode.builtinModules);
  const extra = probes.agent.builtinModules.filter(
    (m) => !bare.has(m) && !m.startsWith('internal/'),
  );
  return [
    `Public Node modules the as-built agent loads beyond a bare process ` +
      `(${extra.length}): ${extra.join(', ')}.`,
    '',
  ];
}
