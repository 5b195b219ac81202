import type { Machine } from '../lib/machine.js';
import type { ProfileSummary } from '../lib/profile.js';
import { machineTable, writeResultFiles } from '../lib/result-files.js';
import type { Revision } from '../lib/revision.js';
import { round } from '../lib/stats.js';
import type { BundleFigures } from './bundle.js';
import type { IngestBenchSettings } from './defaults.js';
import type { IngestRun, TargetVerdict } from './summary.js';

export interface IngestBenchResult {
  benchmark: 'ingest';
  takenAt: string;
  command: string;
  machine: Machine;
  /** The code measured: the commit and uncommitted files it runs. */
  revision: Revision;
  settings: IngestBenchSettings;
  bundle?: BundleFigures;
  runs: IngestRun[];
  targets: TargetVerdict[];
  /** Runs that lost or rejected reports or where a part failed, with why. */
  incomplete: string[];
  /** From an extra pass that is profiled and not counted in the figures. */
  profiles?: { localPath?: ProfileSummary; handler?: ProfileSummary };
}

const LABELS: Record<TargetVerdict['name'], string> = {
  reportsPerSecond: 'Reports/s through the local path',
  cpuMsPerReport: 'Handler CPU per report without I/O',
  bundleBytes: 'Ingest bundle size',
  coldImportMs: 'Cold import of the bundle',
};

/** Writes ingest-<time>.json and rewrites ingest-latest.md; returns paths. */
export function writeResults(dir: string, result: IngestBenchResult) {
  return writeResultFiles(dir, 'ingest', result, renderMarkdown);
}

export function renderMarkdown(r: IngestBenchResult, jsonName: string) {
  return [
    '# Ingest benchmark: latest results',
    '',
    `Taken ${r.takenAt} with \`${r.command}\` at commit ` +
      `${r.revision.commit.slice(0, 7)}${changed(r.revision)}. All ` +
      `figures: [${jsonName}](${jsonName}). What each figure means: ` +
      '[../README.md](../README.md).',
    '',
    ...machineSection(r),
    ...targetSection(r),
    ...runSection(r),
    ...methodSection(),
    ...profileSection(r.profiles),
  ].join('\n');
}

function methodSection() {
  return [
    '## How',
    '',
    '- Reports/s: the local stack in a fresh process (broker, topic rules, ' +
      'SQS stand-in, ingest handler, dynalite on disk, all on 127.0.0.1), ' +
      'the devices as real mqtt.js clients in another process, each ' +
      'publishing its disk-space reports QoS1 at once. Timed from the first ' +
      'publish to the last report stored; then the table is read back.',
    '- Handler CPU: the real ingest handler, in batches of 10, over SDK ' +
      'clients whose transport answers in memory instead of the network ' +
      '(bench/ingest/memory-transport.ts). That in-memory table and queue ' +
      'serve this figure only. process.cpuUsage() per report, after a ' +
      'warm-up.',
    '- Cold import: a fresh `node` imports the bundle; the clock starts ' +
      'just before the import. Median of the fresh processes of each run.',
    '',
  ];
}

function machineSection(r: IngestBenchResult) {
  const m = r.machine;
  const loads = r.runs.map(
    (run, i) => `run ${i + 1}: ${run.loadAverageAtStart.join(' / ')}`,
  );
  return [
    ...machineTable(m),
    'Load average (1 / 5 / 15 min) when each run started: ' +
      `${loads.join('; ')}. The machine was shared with other work.`,
    '',
  ];
}

function targetSection(r: IngestBenchResult) {
  const runs = r.runs.map((_, i) => `run ${i + 1}`);
  const rows = r.targets.map((t) => {
    const values = t.runs.length === r.runs.length ? t.runs : [t.runs[0]];
    const cells = runs.map((_, i) => String(values[i] ?? '-'));
    const result = t.pass ? 'pass' : '**FAIL**';
    return (
      `| ${LABELS[t.name]} (${t.unit}) | ${cells.join(' | ')} | ` +
      `${t.median} | ${t.bar} | ${result} |`
    );
  });
  const misses = r.targets.filter((t) => !t.pass);
  return [
    '## Figures against the targets',
    '',
    `| figure | ${runs.join(' | ')} | median | target | result |`,
    `|---|${runs.map(() => '---|').join('')}---|---|---|`,
    ...rows,
    '',
    ...(r.incomplete.length > 0
      ? [
          '**Runs that lost reports or failed:**',
          '',
          ...r.incomplete.map(bullet),
          '',
        ]
      : [
          'Every throughput run stored each report exactly once; nothing ' +
            'was dead-lettered and every queue was empty at the end.',
          '',
        ]),
    ...warningLines(r),
    ...(misses.length > 0 ? ['### Why a target was missed', ''] : []),
    ...misses.flatMap((t) => [
      `**${LABELS[t.name]}**`,
      '',
      ...t.why.map(bullet),
      '',
    ]),
  ];
}

function runSection(r: IngestBenchResult) {
  const rows = r.runs.map((run, i) => {
    const t = run.throughput;
    const h = run.handlerCpu;
    const c = run.coldImport;
    return (
      `| ${i + 1} | ${t ? `${t.check.storedReports}/${t.sent}` : '-'} | ` +
      `${t ? round(t.elapsedMs / 1000) : '-'} | ` +
      `${t ? round(t.publishMs / 1000) : '-'} | ` +
      `${t ? round(t.stackCpuMsPerReport) : '-'} | ` +
      `${t ? round(t.mainThreadCpuMsPerReport) : '-'} | ` +
      `${t ? round(t.stackCpuMsPerReport - t.mainThreadCpuMsPerReport) : '-'} | ` +
      `${t ? round(t.devicesCpuMsPerReport, 3) : '-'} | ` +
      `${h ? round(h.handlerWallMsPerReport) : '-'} | ` +
      `${h ? round(h.parseCpuMsPerReport, 3) : '-'} | ` +
      `${c ? round(c.externalsMedianMs) : '-'} | ` +
      `${c ? round(c.processMedianMs) : '-'} |`
    );
  });
  const requests = r.runs[0]?.handlerCpu?.requestsPerReport ?? {};
  const pathRequests = r.runs[0]?.throughput?.dynamoRequestsPerReport ?? {};
  return [
    '## Details',
    '',
    '| run | stored/sent | first publish to last stored (s) | ' +
      'publishing (s) | back-end CPU (ms/report) | of it main thread | ' +
      "of it dynalite's thread | devices CPU " +
      '(ms/report) | handler wall (ms/report) | parse+validate CPU ' +
      '(ms/report) | import of the external SDK alone (ms) | node ' +
      'start to exit (ms) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...(r.bundle
      ? [
          `Bundle: ${r.bundle.path}, ${r.bundle.bytes} bytes ` +
            `(${r.bundle.gzipBytes} gzipped); the AWS SDK is left to the ` +
            'Lambda runtime and not in it.',
          '',
        ]
      : []),
    ...(Object.keys(requests).length > 0
      ? [
          'SDK requests per report in the handler (run 1): ' +
            Object.entries(requests)
              .map(([op, n]) => `${op} ${round(n, 2)}`)
              .join(', '),
          '',
        ]
      : []),
    ...(Object.keys(pathRequests).length > 0
      ? [
          'DynamoDB requests per report on the local path (run 1, the ' +
            'hooks after the write included): ' +
            Object.entries(pathRequests)
              .map(([op, n]) => `${op} ${round(n, 2)}`)
              .join(', '),
          '',
        ]
      : []),
    `Settings: ${JSON.stringify(r.settings)}`,
    '',
  ];
}

function profileSection(profiles: IngestBenchResult['profiles']) {
  if (!profiles) return [];
  const parts: [string, ProfileSummary | undefined][] = [
    [
      "The local path (the back end's main thread; dynalite's thread is " +
        'not sampled)',
      profiles.localPath,
    ],
    ['The handler without I/O', profiles.handler],
  ];
  return [
    '## Where the time goes',
    '',
    'From one more pass under the V8 sampling profiler, not counted in the ' +
      'figures above. Each sample counts for the part of the system ' +
      'nearest the running function.',
    '',
    ...parts.flatMap(([title, p]) => (p ? profileTable(title, p) : [])),
  ];
}

function profileTable(title: string, p: ProfileSummary) {
  const top = (spots: ProfileSummary['byComponent'], n: number) =>
    spots.slice(0, n).map((s) => `| ${s.name} | ${s.selfPercent} % |`);
  return [
    `### ${title} (${p.sampledMs} ms sampled)`,
    '',
    '| part | share |',
    '|---|---|',
    ...top(p.byComponent, 12),
    '',
    '| hottest functions (self time) | share |',
    '|---|---|',
    ...top(p.byFunction, 8),
    '',
  ];
}

function warningLines(r: IngestBenchResult) {
  const warnings = r.runs.flatMap((run, i) =>
    run.warnings.map((w) => `run ${i + 1}, ${firstLine(w)}`),
  );
  if (warnings.length === 0) return [];
  return [
    '**Faults after the figures were taken** (the figures stand; the ' +
      'full text is in the JSON):',
    '',
    ...warnings.map(bullet),
    '',
  ];
}

function firstLine(text: string) {
  return text.split('\n').slice(0, 2).join(' ');
}

function changed(revision: Revision) {
  const n = revision.uncommitted.length;
  return n === 0 ? '' : ` with ${n} uncommitted files in the measured code`;
}

function bullet(line: string) {
  return `- ${line}`;
}
