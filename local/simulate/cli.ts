import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  runShard,
  type ShardCounts,
  type SimulationResult,
  simulateDefaults,
  summariseShards,
} from './simulate.js';

/** Exit codes: 0 done, 1 the run failed, 2 bad usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export class SimulateUsageError extends Error {
  readonly code = 'invalid-option';

  constructor(message: string) {
    super(message);
    this.name = 'SimulateUsageError';
  }
}

const USAGE = `Usage: upkeep simulate [--devices N] [--weeks W] [--json] [options]

Runs N simulated agents (the real cycle scheduler, virtual clock) through W
weeks of roaming against the cycle schedules, the IoT delivery rules and
the ingest path, and prints coverage, duplicates, traffic and AWS cost.

Options:
  --devices N          devices (default ${simulateDefaults.devices})
  --weeks W            simulated weeks, may be fractional (default ${simulateDefaults.weeks})
  --seed S             random seed: same seed, same fleet (default ${simulateDefaults.seed})
  --verify-devices N   devices also run through the whole ingest handler
                       on dynalite (default ${simulateDefaults.verifyDevices})
  --tick-minutes M     the scheduler's tick (default ${simulateDefaults.tickMs / 60_000})
  --shards N           processes sharing the fleet (default: one per CPU,
                       up to 4, from 200 devices)
  --json               print the result as JSON
  --record DIR         also write DIR/simulate-<UTC time>.json with the
                       command and the machine
  --quiet              no progress on stderr
  -h, --help           this text`;

export interface SimulateCommand {
  shards: number;
  /** Internal: run shard `index` of `count` and print its counts. */
  shard?: { index: number; count: number };
  devices: number;
  weeks: number;
  seed: number;
  verifyDevices: number;
  tickMs: number;
  json: boolean;
  record?: string;
  quiet: boolean;
}

export function parseSimulateArgs(argv: string[]): SimulateCommand | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      devices: { type: 'string' },
      weeks: { type: 'string' },
      seed: { type: 'string' },
      'verify-devices': { type: 'string' },
      'tick-minutes': { type: 'string' },
      json: { type: 'boolean', default: false },
      record: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      shards: { type: 'string' },
      shard: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const devices = integer(
    '--devices',
    values.devices,
    simulateDefaults.devices,
    1,
    100_000,
  );
  const auto = devices >= 200 ? Math.min(4, os.availableParallelism()) : 1;
  return {
    shards: integer('--shards', values.shards, auto, 1, 16),
    shard: values.shard === undefined ? undefined : shardOf(values.shard),
    devices: integer(
      '--devices',
      values.devices,
      simulateDefaults.devices,
      1,
      100_000,
    ),
    weeks: number('--weeks', values.weeks, simulateDefaults.weeks, 0.5, 52),
    seed: integer('--seed', values.seed, simulateDefaults.seed, 0, 2 ** 32 - 1),
    verifyDevices: integer(
      '--verify-devices',
      values['verify-devices'],
      simulateDefaults.verifyDevices,
      0,
      100,
    ),
    tickMs:
      number(
        '--tick-minutes',
        values['tick-minutes'],
        simulateDefaults.tickMs / 60_000,
        1,
        240,
      ) * 60_000,
    json: values.json ?? false,
    record: values.record,
    quiet: values.quiet ?? false,
  };
}

function shardOf(text: string) {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || index >= count) {
    throw new SimulateUsageError(`--shard is i/n with i < n, got "${text}"`);
  }
  return { index, count };
}

function number(
  name: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
) {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new SimulateUsageError(
      `${name} must be a number from ${min} to ${max}, got "${text}"`,
    );
  }
  return value;
}

function integer(
  name: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
) {
  const value = number(name, text, fallback, min, max);
  if (!Number.isInteger(value)) {
    throw new SimulateUsageError(
      `${name} must be a whole number, got "${text}"`,
    );
  }
  return value;
}

/**
 * `upkeep simulate`. `self` is how to start this command again (for the
 * shard processes): by default this Node with its flags and this script.
 */
export async function runSimulateCommand(
  argv: string[],
  self: readonly string[] = [
    ...process.execArgv,
    process.argv[1] ?? '',
    'simulate',
  ],
): Promise<number> {
  let command: SimulateCommand | 'help';
  try {
    command = parseSimulateArgs(argv);
  } catch (error) {
    process.stderr.write(`upkeep simulate: ${(error as Error).message}\n`);
    process.stderr.write('Run `upkeep simulate --help` for the options.\n');
    return EXIT.usage;
  }
  if (command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }

  if (command.shard) return printShard(command, command.shard);
  let result: SimulationResult;
  try {
    result = await runShards(command, argv, self);
  } catch (error) {
    process.stderr.write(
      `upkeep simulate: the run failed: ${(error as Error).stack}\n`,
    );
    return EXIT.failed;
  }

  process.stdout.write(
    command.json ? `${JSON.stringify(result, null, 2)}\n` : humanLines(result),
  );
  if (command.record) {
    const file = record(command.record, argv, result);
    process.stderr.write(`recorded ${file}\n`);
  }
  return EXIT.ok;
}

/**
 * The fleet in `shards` processes (this command again with --shard i/n),
 * or in this one; their counts are added up here.
 */
async function runShards(
  command: SimulateCommand,
  argv: string[],
  self: readonly string[],
): Promise<SimulationResult> {
  const started = performance.now();
  const count = Math.min(command.shards, command.devices);
  const progress = command.quiet ? undefined : dayProgress;
  const shards =
    count === 1
      ? [
          await runShard(
            { ...command, onDay: progress },
            rangeOf(command, 0, 1),
          ),
        ]
      : await Promise.all(
          Array.from({ length: count }, (_, i) =>
            spawnShard(self, argv, i, count, command.quiet || i > 0),
          ),
        );
  return summariseShards(shards, command, (performance.now() - started) / 1000);
}

function dayProgress(day: number, days: number) {
  process.stderr.write(`simulated day ${day}/${days}\n`);
}

function rangeOf(command: SimulateCommand, index: number, count: number) {
  return {
    from: Math.floor((index * command.devices) / count),
    to: Math.floor(((index + 1) * command.devices) / count),
  };
}

async function printShard(
  command: SimulateCommand,
  shard: { index: number; count: number },
) {
  const counts = await runShard(
    { ...command, onDay: command.quiet ? undefined : dayProgress },
    rangeOf(command, shard.index, shard.count),
  );
  process.stdout.write(`${JSON.stringify(counts)}\n`);
  return EXIT.ok;
}

function spawnShard(
  self: readonly string[],
  argv: string[],
  index: number,
  count: number,
  quiet: boolean,
): Promise<ShardCounts> {
  const args = [
    ...self,
    ...argv.filter((a) => a !== '--json' && a !== '--quiet'),
    '--shard',
    `${index}/${count}`,
    ...(quiet ? ['--quiet'] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`shard ${index}/${count} exited with ${code}`));
        return;
      }
      resolve(JSON.parse(out) as ShardCounts);
    });
  });
}

const HEADLINE = [
  'devices',
  'simulatedDays',
  'dueCycles',
  'completedWithin24hOfReconnect',
  'coverage',
  'duplicateRuns',
  'maxReconnectBurst',
  'messagesPerDevicePerDay',
  'bytesPerDevicePerDay',
  'costPerDeviceMonthUsd',
] as const;

export function humanLines(result: SimulationResult): string {
  const width = Math.max(...HEADLINE.map((k) => k.length));
  return `${HEADLINE.map((key) => `${key.padEnd(width)}  ${result[key]}`).join('\n')}\n`;
}

function record(dir: string, argv: string[], result: SimulationResult) {
  const at = new Date();
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  const folder = resolve(dir);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `simulate-${stamp}.json`);
  const cpus = os.cpus();
  const body = {
    command: ['npx', 'upkeep', 'simulate', ...argv].join(' '),
    recordedAt: at.toISOString(),
    machine: {
      cpuModel: cpus[0]?.model.trim() ?? 'unknown',
      cores: cpus.length,
      memoryBytes: os.totalmem(),
      node: process.version,
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    },
    result,
  };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}
