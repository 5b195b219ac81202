import { type Policy, zoneOffsetTable } from '../core/index.js';
import { defaultChecks } from './checks/registry.js';
import type { CheckRequest } from './helper-process.js';
import { createLogger, type LogLevel } from './logger.js';
import { runCommand } from './platform/command.js';

/**
 * The helpers the agent starts as short-lived copies of its own bundle
 * (agent/main.ts with HELPER_ARG). Each reads its request from its
 * arguments, prints one JSON document on stdout, logs on stderr and exits:
 *
 *   run-check '<CheckRequest JSON>'       → the check's CheckResult
 *   zone-offsets <zone> <fromMs> <toMs>   → a ZoneOffsetTable
 *
 * Exit status: 0 done, 2 a request it cannot read.
 */
export async function runHelper(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  try {
    if (name === 'run-check') return await runCheck(args);
    if (name === 'zone-offsets') return zoneOffsets(args);
    process.stderr.write(`upkeep helper: unknown helper "${name}"\n`);
  } catch (error) {
    process.stderr.write(`upkeep helper: ${(error as Error).message}\n`);
  }
  return 2;
}

async function runCheck(args: string[]) {
  const request = JSON.parse(args[0] ?? '') as CheckRequest;
  const check = defaultChecks({
    platform: request.platform,
    stateDir: request.stateDir,
  }).find((c) => c.kind === request.kind);
  if (!check) throw new Error(`no ${request.kind} check on this platform`);

  const level = (request.logLevel ?? 'INFO') as LogLevel;
  const result = await check.run({
    now: () => new Date(),
    policy: request.policy as Policy,
    platform: request.platform,
    run: runCommand,
    logger: createLogger({ level, service: 'upkeep-agent-check' }),
    trigger: request.trigger,
    ...(request.cycleId ? { cycleId: request.cycleId } : {}),
  });
  process.stdout.write(JSON.stringify(result));
  return 0;
}

function zoneOffsets(args: string[]) {
  const [zone, from, to] = args;
  const fromMs = Number(from);
  const toMs = Number(to);
  if (!zone || !Number.isFinite(fromMs) || !(toMs > fromMs)) {
    throw new Error('zone-offsets needs <zone> <fromMs> <toMs>');
  }
  process.stdout.write(JSON.stringify(zoneOffsetTable(zone, fromMs, toMs)));
  return 0;
}
