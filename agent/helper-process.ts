import type { Policy, Trigger } from '../core/index.js';
import { AgentError } from './errors.js';
import type { CommandRunner } from './platform/command.js';

/** The first argument that makes the agent's bundle run as a helper. */
export const HELPER_ARG = '--upkeep-helper';

/**
 * How to start a helper: the agent's own node, node flags and bundle, then
 * HELPER_ARG. The helper's command and its JSON request follow.
 */
export interface HelperCommand {
  command: string;
  args: readonly string[];
}

/** What a `run-check` helper is asked (one JSON argument). */
export interface CheckRequest {
  kind: string;
  platform: NodeJS.Platform;
  stateDir: string;
  policy: Policy;
  trigger: Trigger;
  cycleId?: string;
  logLevel?: string;
}

export const helperDefaults = {
  /**
   * A check run ends by then, ms: a full scan of a large disk takes hours;
   * every command inside a check has its own, shorter limit.
   */
  checkTimeoutMs: 6 * 60 * 60_000,
  /** A zone table is a few hundred Intl calls, ms. */
  zoneTimeoutMs: 30_000,
};

/**
 * Runs a helper and hands back its stdout (one JSON document) and its
 * stderr lines (its log). A helper that exits non-zero, times out or
 * prints no JSON is an error with the reason.
 */
export async function callHelper(
  run: CommandRunner,
  helper: HelperCommand,
  args: readonly string[],
  timeoutMs: number,
): Promise<{ output: unknown; log: string[] }> {
  const result = await run(helper.command, [...helper.args, ...args], {
    timeoutMs,
  });
  const log = result.stderr.split('\n').filter((line) => line.length > 0);
  if (result.exitCode !== 0) {
    const why = result.timedOut
      ? `timed out after ${timeoutMs} ms`
      : (result.spawnError ?? `exit status ${result.exitCode}`);
    throw new AgentError(
      'helper-failed',
      `helper ${args[0]} failed: ${why}; ${log.slice(-3).join(' | ')}`,
    );
  }
  try {
    return { output: JSON.parse(result.stdout), log };
  } catch (cause) {
    throw new AgentError(
      'helper-failed',
      `helper ${args[0]} printed no JSON document`,
      { cause },
    );
  }
}
