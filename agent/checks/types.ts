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
  /**
   * The cycle window that asked for this run (`<kind>@<due time>`), when a
   * cycle did. A check whose work depends on the cycle (a quick or a full
   * scan) reads the kind from it.
   */
  cycleId?: string;
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
  /**
   * The security products this check found on its last run, for the
   * hello's `securityProducts`. Only the antivirus check has it.
   */
  securityProducts?(): SecurityProduct[];
}

/** A product named in the hello (core helloSchema `securityProducts`). */
export interface SecurityProduct {
  name: string;
  kind: 'antivirus' | 'antispyware' | 'firewall';
}
