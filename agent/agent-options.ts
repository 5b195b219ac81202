import {
  DEFAULT_POLICY,
  type Policy,
  THING_NAME_PATTERN,
} from '../core/index.js';
import { defaultChecks } from './checks/registry.js';
import type { Check } from './checks/types.js';
import { AgentConfigError } from './errors.js';
import { type AgentLogger, createLogger } from './logger.js';
import { type CommandRunner, runCommand } from './platform/command.js';
import type { BackoffOptions } from './transport/backoff.js';
import type { TlsMaterial } from './transport/mqtt-session.js';

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
   * Local mode: rerun disk-space every this many ms.
   * @default 14 days (the disk-space cycle)
   */
  checkIntervalMs?: number;
  /**
   * Run disk-space at start and then every `checkIntervalMs`. Off for
   * one-shot runs that call runCheck themselves. @default true
   */
  schedule?: boolean;
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
   * @default defaultChecks({ platform, stateDir }): every check of the OS
   */
  checks?: readonly Check[];
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

export interface ResolvedOptions
  extends Required<
    Omit<AgentOptions, 'tls' | 'reconnect' | 'keepaliveSeconds' | 'platform'>
  > {
  platform: AgentPlatform;
  tls?: TlsMaterial;
  reconnect?: Partial<BackoffOptions>;
  keepaliveSeconds?: number;
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

  return {
    ...options,
    platform: platform as AgentPlatform,
    policy: options.policy ?? DEFAULT_POLICY,
    checkIntervalMs: Math.min(interval, MAX_TIMER_MS),
    schedule: options.schedule ?? true,
    now: options.now ?? (() => new Date()),
    run: options.run ?? runCommand,
    logger: options.logger ?? createLogger({ fields: { thingName } }),
    checks: options.checks ?? defaultChecks({ platform, stateDir }),
  };
}
