import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { describe, expect, it, onTestFinished } from 'vitest';
import { keys } from '../../core/index.js';
import { backendDefaults } from '../../local/backend.js';
import { startTestStack, tempStateDir } from '../../local/test-support.js';

/**
 * The durable outbox under kill -9, end to end: the real agent (a child
 * process, fixtures/kill-agent.ts) against the local stack (aedes broker,
 * topic rules, the SQS stand-in, the ingest handler, dynalite), killed with
 * SIGKILL at seeded random moments and restarted on the same state folder
 * (some runs offline, pointed at a port nobody listens on, so that reports
 * pile up and are replayed later), then run once more to deliver the rest.
 *
 * Oracle:
 *   - none lost: every report the agent logged as queued (logged after the
 *     journal's fdatasync) is a REPORT item in the table;
 *   - none duplicated: no two stored reports share a cycle window and
 *     check, so no window was reported twice by a rerun; ids are the
 *     table key, so a resend is stored once;
 *   - a report stored but never logged is one whose process died between
 *     the fsync and the log line: at most one per kill.
 */
const KILLS = 20;
const SEED = Number(process.env.UPKEEP_KILL_SEED ?? 20_261_204);
const THING = 'kill-test-01';
/** One simulated minute per 100 ms: smart windows last 100 ms, av 1 s. */
const SPEED = 600;
/** The check of the ten-minute cycle, whose window outlasts a restart. */
const AIM = 'antivirus';

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

async function bundleFixture() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'upkeep-kill-bundle-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  const outfile = path.join(dir, 'kill-agent.mjs');
  await build({
    entryPoints: [path.join(import.meta.dirname, 'fixtures/kill-agent.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    logLevel: 'warning',
    // Some CommonJS dependencies call require(); ESM bundles need one.
    banner: {
      js:
        "import { createRequire as __killRequire } from 'node:module';" +
        'const require = __killRequire(import.meta.url);',
    },
  });
  return outfile;
}

interface LogLine {
  message: string;
  reportId?: string;
  cycleId?: string;
  check?: string;
  code?: string;
}

function spawnAgent(
  bundle: string,
  settings: object,
  lines: LogLine[],
  onLine: (line: LogLine) => void = () => undefined,
) {
  const child = spawn(process.execPath, [bundle], {
    env: { ...process.env, UPKEEP_KILL_AGENT: JSON.stringify(settings) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const text = rest + chunk.toString('utf8');
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) {
      const line = JSON.parse(part) as LogLine;
      lines.push(line);
      onLine(line);
    }
  });
  return child;
}

async function exited(child: ChildProcess, timeoutMs: number) {
  if (child.exitCode !== null || child.signalCode !== null) {
    return child.exitCode;
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = await once(child, 'exit');
  clearTimeout(timer);
  return code as number | null;
}

/** A loopback port nobody listens on: the broker of an offline laptop. */
async function deadPort() {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface StoredReport {
  reportId: string;
  cycleId?: string;
  check: string;
}

async function storedReports(endpoint: string): Promise<StoredReport[]> {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: backendDefaults.region,
      credentials: backendDefaults.credentials,
    }),
  );
  const items: StoredReport[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: backendDefaults.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :report)',
        ExpressionAttributeValues: {
          ':pk': keys.device(THING),
          ':report': 'REPORT#',
        },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...((page.Items ?? []) as StoredReport[]));
    start = page.LastEvaluatedKey;
  } while (start);
  client.destroy();
  return items;
}

/** Polls until the table holds every id in `expected` and stops growing. */
async function settledReports(endpoint: string, expected: Set<string>) {
  const deadline = Date.now() + 60_000;
  let last = -1;
  for (;;) {
    const stored = await storedReports(endpoint);
    const ids = new Set(stored.map((r) => r.reportId));
    const complete = [...expected].every((id) => ids.has(id));
    if ((complete && stored.length === last) || Date.now() > deadline) {
      return stored;
    }
    last = stored.length;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

describe('durable outbox under kill -9', () => {
  it(`loses and repeats no report across ${KILLS} kills at random points`, {
    timeout: 240_000,
  }, async () => {
    const { stack } = await startTestStack(tempStateDir());
    const bundle = await bundleFixture();
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'upkeep-kill-'));
    onTestFinished(() => rm(stateDir, { recursive: true, force: true }));
    const settings = {
      brokerUrl: stack.mqttUrl,
      stateDir,
      thingName: THING,
      simEpochMs: Math.floor(Date.now() / 60_000) * 60_000,
      realEpochMs: Date.now(),
      speed: SPEED,
    };
    const random = seeded(SEED);
    const lines: LogLine[] = [];

    const offlineUrl = `mqtt://127.0.0.1:${await deadPort()}`;

    for (let kill = 0; kill < KILLS; kill++) {
      // Some runs roam offline, so that reports pile up in the journal and
      // are replayed by a later run.
      const brokerUrl = random() < 0.4 ? offlineUrl : stack.mqttUrl;
      const run = { ...settings, brokerUrl, mode: 'run' };
      // Half the kills hit the riskiest moment: right after a report of
      // the slow cycle reached the journal, before its window is marked
      // done; the restart lands in the same window.
      const aimed = random() < 0.5;
      const child = spawnAgent(bundle, run, lines, (line) => {
        if (aimed && line.message === 'report queued' && line.check === AIM) {
          child.kill('SIGKILL');
        }
      });
      const delay = aimed ? 5_000 : 250 + random() * 1_000;
      await Promise.race([
        once(child, 'exit'),
        new Promise((r) => setTimeout(r, delay)),
      ]);
      child.kill('SIGKILL');
      await exited(child, 5_000);
    }
    const last = spawnAgent(bundle, { ...settings, mode: 'drain' }, lines);
    const code = await exited(last, 60_000);

    const queued = lines.filter((l) => l.message === 'report queued');
    const announced = new Set(queued.map((l) => l.reportId ?? ''));
    const stored = await settledReports(stack.dynamoEndpoint, announced);
    const storedIds = new Set(stored.map((r) => r.reportId));
    const windows = stored.map((r) => `${r.cycleId}/${r.check}`);
    const context = `seed ${SEED}, ${queued.length} queued`;

    expect(code, context).toBe(0);
    expect(
      lines.some((l) => l.message === 'drained'),
      context,
    ).toBe(true);
    // Enough runs got far enough to store reports for the test to mean much.
    expect(queued.length, context).toBeGreaterThanOrEqual(KILLS / 2);
    expect(
      [...announced].filter((id) => !storedIds.has(id)),
      context,
    ).toEqual([]);
    expect(windows.length - new Set(windows).size, context).toBe(0);
    expect(stored.length - announced.size, context).toBeLessThanOrEqual(KILLS);
    expect(stored.length, context).toBe(storedIds.size);
  });
});
