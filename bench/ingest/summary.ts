import { median, round } from '../lib/stats.js';
import type { BundleFigures, ColdImportFigures } from './bundle.js';
import { ingestTargets } from './defaults.js';
import type { HandlerCpuFigures } from './handler-cpu.js';
import type { ThroughputFigures } from './throughput.js';

/** One repetition of the suite; a part left out by --only is absent. */
export interface IngestRun {
  loadAverageAtStart: number[];
  throughput?: ThroughputFigures;
  handlerCpu?: HandlerCpuFigures;
  coldImport?: ColdImportFigures;
  /** Parts that threw instead of measuring, as "part: message". */
  errors: string[];
  /** Faults after a part had its figures (stopping the stack, say). */
  warnings: string[];
}

export type TargetName = keyof typeof ingestTargets;

export interface TargetVerdict {
  name: TargetName;
  /** The median over the repetitions. */
  median: number;
  runs: number[];
  unit: string;
  bar: string;
  pass: boolean;
  /** Why it missed, from what was measured; empty when it passed. */
  why: string[];
}

const UNITS: Record<TargetName, string> = {
  reportsPerSecond: 'reports/s',
  cpuMsPerReport: 'ms CPU/report',
  bundleBytes: 'bytes',
  coldImportMs: 'ms',
};

/** Each target's median, its pass or fail, and the measured why of a miss. */
export function judgeTargets(
  runs: readonly IngestRun[],
  bundle: BundleFigures | undefined,
): TargetVerdict[] {
  const figures: [TargetName, number[]][] = [
    ['reportsPerSecond', pick(runs, (r) => r.throughput?.reportsPerSecond)],
    ['cpuMsPerReport', pick(runs, (r) => r.handlerCpu?.handlerCpuMsPerReport)],
    ['bundleBytes', bundle ? [bundle.bytes] : []],
    ['coldImportMs', pick(runs, (r) => r.coldImport?.medianMs)],
  ];
  return figures
    .filter(([, values]) => values.length > 0)
    .map(([name, values]) => verdict(name, values, runs, bundle));
}

function verdict(
  name: TargetName,
  values: number[],
  runs: readonly IngestRun[],
  bundle: BundleFigures | undefined,
): TargetVerdict {
  const target: { min?: number; max?: number } = ingestTargets[name];
  const middle = median(values);
  const pass =
    target.min !== undefined
      ? middle >= target.min
      : middle <= (target.max ?? 0);
  const bar =
    target.min !== undefined ? `>= ${target.min}` : `<= ${target.max}`;
  return {
    name,
    median: round(middle),
    runs: values.map((v) => round(v)),
    unit: UNITS[name],
    bar,
    pass,
    why: pass ? [] : whyMissed(name, runs, bundle),
  };
}

function whyMissed(
  name: TargetName,
  runs: readonly IngestRun[],
  bundle: BundleFigures | undefined,
): string[] {
  switch (name) {
    case 'reportsPerSecond':
      return throughputWhy(runs);
    case 'cpuMsPerReport':
      return handlerWhy(runs);
    case 'coldImportMs':
      return coldImportWhy(runs);
    case 'bundleBytes':
      return [`the bundle is ${bundle?.bytes} bytes`];
  }
}

function throughputWhy(runs: readonly IngestRun[]): string[] {
  const stackCpu = median(pick(runs, (r) => r.throughput?.stackCpuMsPerReport));
  const mainCpu = median(
    pick(runs, (r) => r.throughput?.mainThreadCpuMsPerReport),
  );
  const dynaliteCpu = stackCpu - mainCpu;
  const devicesCpu = median(
    pick(runs, (r) => r.throughput?.devicesCpuMsPerReport),
  );
  const busiest = Math.max(mainCpu, dynaliteCpu);
  const local = median(
    pick(runs, (r) => sumOf(r.throughput?.dynamoRequestsPerReport)),
  );
  const handler = requestsPerReport(runs);
  const lines = [
    'The back end runs on two threads: the main one (broker, topic rules, ' +
      "SQS stand-in, ingest handler) and dynalite's. Per report they spent " +
      `${round(mainCpu)} and ${round(dynaliteCpu)} ms of CPU ` +
      `(${round(stackCpu)} ms together), so even with a core each the ` +
      `busier one caps the path near ${Math.round(1000 / busiest)} ` +
      'reports/s, and both together need ' +
      `${round(stackCpu / 2)} ms of the two cores per report where 1,000 ` +
      'reports/s allows 2 ms. The devices used ' +
      `${round(devicesCpu, 3)} ms per report in their own process.`,
  ];
  if (Number.isFinite(local)) {
    lines.push(
      `Each report cost ${round(local, 1)} DynamoDB requests on this path ` +
        `(the handler's own writes are ${round(handler, 1)}; the rest come ` +
        'from the hooks after them, the remedy loop and the finding events, ' +
        "which act on the check's findings as the writes left them while " +
        'one is unresolved or has a remedy job in flight, and read the ' +
        "device's remediation policy and a finding whose ticket changes; " +
        'the benchmark devices run no jobs, so those stay in flight), each ' +
        'an ' +
        'HTTP round trip through the SDK client and dynalite: dynalite ' +
        `spends about ${round(dynaliteCpu / local, 2)} ms of CPU on one.`,
    );
  }
  return lines;
}

function handlerWhy(runs: readonly IngestRun[]): string[] {
  const parse = median(pick(runs, (r) => r.handlerCpu?.parseCpuMsPerReport));
  const whole = median(pick(runs, (r) => r.handlerCpu?.handlerCpuMsPerReport));
  const requests = requestsPerReport(runs);
  return [
    `Parsing and validating a report takes ${round(parse, 3)} ms; the rest ` +
      `of the ${round(whole)} ms goes to the ${round(requests, 1)} DynamoDB ` +
      `requests per report, about ${round((whole - parse) / requests, 3)} ms ` +
      'of SDK work each (serialising, endpoint resolution, SigV4 signing, ' +
      'parsing the answer) even with no network.',
  ];
}

function coldImportWhy(runs: readonly IngestRun[]): string[] {
  const whole = median(pick(runs, (r) => r.coldImport?.medianMs));
  const externals = median(pick(runs, (r) => r.coldImport?.externalsMedianMs));
  const dynamo = median(
    pick(runs, (r) => r.coldImport?.dynamoExternalsMedianMs),
  );
  const imported = runs.find((r) => r.coldImport)?.coldImport;
  const atStart = imported?.externals.join(', ') ?? 'none';
  const lazy = imported?.onFirstUse?.length
    ? `; ${imported.onFirstUse.join(', ')} load on first use and are not ` +
      'counted'
    : '';
  return [
    `Importing only the packages the bundle imports at start and leaves ` +
      `external (the AWS SDK: ${atStart}) takes ${round(externals)} ms of ` +
      `the ${round(whole)} ms; the bundle's own code takes the rest${lazy}.`,
    onlyDynamo(imported?.externals)
      ? `Every package imported at start is a DynamoDB one; timed again ` +
        `in other fresh processes they take ${round(dynamo)} ms (the gap ` +
        'between the two timings is noise).'
      : `The DynamoDB packages alone import in ${round(dynamo)} ms; the ` +
        `other packages imported at start cost ${round(externals - dynamo)}` +
        ' ms.',
  ];
}

function onlyDynamo(packages: readonly string[] | undefined) {
  return !!packages?.length && packages.every((name) => /dynamodb/.test(name));
}

function requestsPerReport(runs: readonly IngestRun[]) {
  return median(
    pick(runs, (r) => {
      const counts = r.handlerCpu?.requestsPerReport;
      if (!counts) return undefined;
      return Object.entries(counts)
        .filter(([op]) => op.startsWith('dynamodb.'))
        .reduce((sum, [, n]) => sum + n, 0);
    }),
  );
}

function sumOf(counts: Record<string, number> | undefined) {
  if (!counts) return undefined;
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

function pick(
  runs: readonly IngestRun[],
  read: (run: IngestRun) => number | undefined,
): number[] {
  return runs.map(read).filter((v): v is number => v !== undefined);
}
