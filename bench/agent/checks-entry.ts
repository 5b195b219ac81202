// The process the checks figure is taken from: the agent (startAgent, as
// the standalone bundle runs it) with every check it has, each run in a
// helper process of the shipped bundle (--helper-bundle), driven over
// stdin so that the bench decides when the checks start.
//
//   stdin `run`  ─▶ each check once, on demand, one after the other ─▶
//     wait for the broker's PUBACK of every report ─▶ one JSON line out
//   stdin `stop` or end ─▶ agent.stop() and exit
//
// The bench bundles this file with the agent bundle's esbuild options
// (bench/agent/checks-bundle.ts) and runs the bundle, not the sources.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startAgent } from '../../agent/agent.js';
import { childProcessChecks } from '../../agent/checks/child-checks.js';
import { HELPER_ARG } from '../../agent/helper-process.js';
import { createLogger } from '../../agent/logger.js';
import { DEFAULT_POLICY, type Policy } from '../../core/index.js';

/** One check's run, as the bench records it. */
export interface CheckRunFigure {
  kind: string;
  /** From runCheck to the report queued, ms. */
  ms: number;
  verdict: string;
  findings: number;
  reportBytes: number;
}

export interface ChecksRunLine {
  checks: CheckRunFigure[];
  /** After the last report was queued, until every one was acknowledged. */
  drainMs: number;
}

/** The bench runs on shared machines: cleanup only ever lists. */
const policy: Policy = {
  ...DEFAULT_POLICY,
  cleanup: { ...(DEFAULT_POLICY.cleanup ?? ({} as never)), dryRun: true },
};

const { values } = parseArgs({
  options: {
    broker: { type: 'string' },
    thing: { type: 'string' },
    state: { type: 'string' },
    'helper-bundle': { type: 'string' },
  },
});
const stateDir = values.state ?? '.state/bench-agent';
const thingName = values.thing ?? 'bench-agent';
// The list startAgent would take by itself, kept to name each kind.
const helper = {
  command: process.execPath,
  args: [
    ...process.execArgv,
    values['helper-bundle'] ?? 'dist/agent/index.mjs',
    HELPER_ARG,
  ],
};
const checks = childProcessChecks({
  helper,
  platform: process.platform,
  stateDir,
});

const agent = await startAgent({
  brokerUrl: values.broker ?? 'mqtt://127.0.0.1:1883',
  thingName,
  stateDir,
  policy,
  checks,
  schedule: false,
  logger: createLogger({ fields: { thingName } }),
});

for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'stop') break;
  if (line === 'run')
    process.stdout.write(`${JSON.stringify(await runAll())}\n`);
}
await agent.stop();

async function runAll(): Promise<ChecksRunLine> {
  const figures: CheckRunFigure[] = [];
  for (const { kind } of checks) {
    const start = performance.now();
    const report = await agent.runCheck(kind, 'on-demand');
    figures.push({
      kind,
      ms: performance.now() - start,
      verdict: report.verdict,
      findings: report.findings.length,
      reportBytes: Buffer.byteLength(JSON.stringify(report)),
    });
  }

  const drainStart = performance.now();
  await agent.drained();
  return { checks: figures, drainMs: performance.now() - drainStart };
}
