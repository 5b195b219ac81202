import {
  CYCLES,
  type CycleDefinition,
  DEFAULT_POLICY,
  type Policy,
  THING_NAME_PATTERN,
} from '../core/index.js';
import type { Check } from './checks/types.js';
import { AgentConfigError } from './errors.js';
import type { HelperCommand } from './helper-process.js';
import type { JobsOptions } from './jobs/index.js';
import { type AgentLogger, createLogger } from './logger.js';
import { type CommandRunner, runCommand } from './platform/command.js';
import type {
  ConditionsPort,
  SchedulerTimers,
  SchedulerTuning,
} from './scheduler/types.js';
import type { BackoffOptions } from './transport/backoff.js';
import type { TlsMaterial } from './transport/mqtt-session.js';
import type { durableOutboxDefaults } from './transport/outbox-durable.js';

export interface AgentOptions {
  /** mqtt://host:port, or mqtts:// with `tls`. */
  brokerUrl: string;
  /** The IoT thing name, also the MQTT client id. */
  thingName: string;
  /** Folder for the agent's state file; created when missing. */
  stateDir: string;
  tls?: TlsMaterial;
  /** @default DEFAULT_POLICY */
  policy?: Policy;
  /**
   * Local mode and demos: when set, disk-space runs at start and every
   * this many ms instead of the cycle table. @default unset (cycle table)
   */
  checkIntervalMs?: number;
  /**
   * Run the cycles (or the `checkIntervalMs` interval). Off for one-shot
   * runs that call runCheck themselves. @default true
   */
  schedule?: boolean;
  /** The cycle table. @default CYCLES (core/cycles.ts) */
  cycles?: readonly CycleDefinition[];
  /** IoT thing groups whose cycle topic the agent follows. @default [] */
  groups?: readonly string[];
  /** The scheduler's timers. @default the global setTimeout */
  timers?: SchedulerTimers;
  /** Battery, metered network, presentation. @default the OS probe */
  conditions?: ConditionsPort;
  /** Tick, wake margin, jitter spreads. @default schedulerDefaults */
  scheduler?: Partial<SchedulerTuning>;
  /** Outbox bounds and compaction. @default durableOutboxDefaults */
  outbox?: Partial<typeof durableOutboxDefaults>;
  /**
   * Remedy jobs (IoT Jobs): the deployment's public keys for job documents.
   * @default unset: the agent does not subscribe to jobs
   */
  jobs?: JobsOptions;
  /** @default () => new Date() */
  now?: () => Date;
  /** @default runCommand (a real child process) */
  run?: CommandRunner;
  /** @default process.platform */
  platform?: NodeJS.Platform;
  /** @default a JSON logger on stderr with the thing name on each line */
  logger?: AgentLogger;
  /** Reconnect backoff. @default { baseMs: 1_000, maxMs: 300_000 } */
  reconnect?: Partial<BackoffOptions>;
  /** MQTT keep-alive, s. @default 60 */
  keepaliveSeconds?: number;
  /**
   * The checks this agent can run.
   * @default defaultChecks({ platform, stateDir }): every check of the OS,
   * each run in a helper process when `helper` is set
   */
  checks?: readonly Check[];
  /**
   * How to start a helper process (agent/helper.ts): the default checks
   * run there one at a time, and a time zone's offsets are worked out
   * there, so that the agent itself never loads the checks, the finding
   * catalogue or the ICU time zone data. The standalone bundle sets it.
   * @default unset: everything runs in this process
   */
  helper?: HelperCommand;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const agentDefaults = {
  checkIntervalMs: 14 * DAY_MS,
  /** How long stop() waits for queued reports to be acknowledged, ms. */
  stopDrainMs: 2_000,
};

/**
 * setTimeout fires at once for delays past 2^31-1 ms (about 24.8 days);
 * a longer interval is clamped to that rather than turned into a loop.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

const PLATFORMS = ['linux', 'win32', 'darwin'] as const;
export type AgentPlatform = (typeof PLATFORMS)[number];

type LeftOptional =
  | 'tls'
  | 'reconnect'
  | 'keepaliveSeconds'
  | 'platform'
  | 'timers'
  | 'conditions'
  | 'scheduler'
  | 'outbox'
  | 'jobs'
  | 'helper';

export interface ResolvedOptions
  extends Required<Omit<AgentOptions, LeftOptional>>,
    Pick<AgentOptions, Exclude<LeftOptional, 'platform'>> {
  platform: AgentPlatform;
  /** checkIntervalMs was given: the interval replaces the cycle table. */
  useInterval: boolean;
}

export function resolveOptions(options: AgentOptions): ResolvedOptions {
  const { thingName, stateDir } = options;
  if (!THING_NAME_PATTERN.test(thingName ?? '')) {
    throw new AgentConfigError(
      `thingName must be 1-128 of [a-zA-Z0-9:_-], got "${thingName}"`,
    );
  }
  if (!stateDir) throw new AgentConfigError('stateDir is required');

  const platform = options.platform ?? process.platform;
  if (!(PLATFORMS as readonly string[]).includes(platform)) {
    throw new AgentConfigError(
      `the agent runs on ${PLATFORMS.join(', ')}; this is ${platform}`,
    );
  }
  const interval = options.checkIntervalMs ?? agentDefaults.checkIntervalMs;
  if (!Number.isFinite(interval) || interval < 1) {
    throw new AgentConfigError(
      `checkIntervalMs must be a positive number of ms, got ${interval}`,
    );
  }

  const groups = checkGroups(options.groups ?? []);

  return {
    ...options,
    platform: platform as AgentPlatform,
    policy: options.policy ?? DEFAULT_POLICY,
    checkIntervalMs: Math.min(interval, MAX_TIMER_MS),
    useInterval: options.checkIntervalMs !== undefined,
    schedule: options.schedule ?? true,
    cycles: options.cycles ?? CYCLES,
    groups,
    now: options.now ?? (() => new Date()),
    run: options.run ?? runCommand,
    logger: options.logger ?? createLogger({ fields: { thingName } }),
    // startAgent loads the default checks when none are given: on demand,
    // so that an agent whose checks run in a helper never loads them.
    checks: options.checks ?? [],
  };
}

/** Group names become topic levels: no `/`, `+` or `#` may slip in. */
function checkGroups(groups: readonly string[]) {
  const bad = groups.find((g) => !THING_NAME_PATTERN.test(g));
  if (bad !== undefined) {
    throw new AgentConfigError(
      `groups must be thing group names of [a-zA-Z0-9:_-], got "${bad}"`,
    );
  }
  return groups;
}
