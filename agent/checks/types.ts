import type {
  CheckKind,
  Finding,
  Policy,
  Trigger,
  Verdict,
} from '../../core/index.js';
import type { AgentLogger } from '../logger.js';
import type { CommandRunner } from '../platform/command.js';

/** What every check receives. The clock and the OS seams are injected. */
export interface CheckContext {
  now: () => Date;
  policy: Policy;
  platform: NodeJS.Platform;
  /** Runs an external command with a timeout; never throws on exit codes. */
  run: CommandRunner;
  logger: AgentLogger;
  trigger: Trigger;
}

/** What a check hands back: the judge's verdict and the probe's data. */
export interface CheckResult {
  verdict: Verdict;
  findings: Finding[];
  data: Record<string, unknown>;
}

/**
 * A check is a probe (talks to the OS) plus a pure judge (turns the probe's
 * output into a verdict). Only `run` touches the machine.
 */
export interface Check {
  kind: CheckKind;
  run(ctx: CheckContext): Promise<CheckResult>;
}
