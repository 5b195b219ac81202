import type {
  CheckKind,
  Policy,
  RemedyName,
  RemedyPlatform,
} from '../../core/index.js';
import type { Check } from '../checks/types.js';
import type { AgentLogger } from '../logger.js';
import type { CommandRunner } from '../platform/command.js';

/** What a remedy receives. The OS seams are the agent's own. */
export interface RemedyContext {
  platform: RemedyPlatform;
  /** Runs a command with a timeout; never throws on exit codes. */
  run: CommandRunner;
  logger: AgentLogger;
  now: () => Date;
  policy: Policy;
  /** The agent's checks: cleanup runs its check in real mode. */
  checks: readonly Check[];
  /** Time the remedy may take, ms (the allow-list's timeoutMinutes). */
  timeoutMs: number;
}

/**
 * What a remedy reports. `ok` says the remedy did what it set out to do;
 * whether the finding is gone is the re-check's to say.
 */
export interface RemedyOutcome {
  ok: boolean;
  /** One line for statusDetails `outcome` (≤ 1024 characters). */
  summary: string;
  /** Extra statusDetails fields (short values: counts, exit codes). */
  details?: Record<string, string | number | boolean>;
}

/**
 * One allow-listed remedy as this agent implements it. The name, params
 * schema and platforms come from core/remedies.ts; the agent adds how it
 * runs and what proves it.
 */
export interface RemedyImplementation<P = Record<string, unknown>> {
  name: RemedyName;
  /** Platforms this agent implements it on (a subset of the allow-list's). */
  platforms: readonly RemedyPlatform[];
  /**
   * Safe to run again from the start after a restart cut it short. A
   * remedy that is not is reported FAILED `interrupted` instead.
   */
  idempotent: boolean;
  /** The check whose fresh report proves it, when the job names none. */
  recheck(params: P): CheckKind | undefined;
  /**
   * Why this device refuses these (schema-valid) params: a service outside
   * the agent's own list, a product of another platform. Undefined: fine.
   */
  refuse?(params: P, platform: RemedyPlatform): Refusal | undefined;
  run(ctx: RemedyContext, params: P): Promise<RemedyOutcome>;
}

export interface Refusal {
  reason: 'not-allowed' | 'not-implemented';
  message: string;
}

/** The registry's element type: params are checked before `run`. */
// biome-ignore lint/suspicious/noExplicitAny: params were validated by the allow-list schema
export type AnyRemedy = RemedyImplementation<any>;
