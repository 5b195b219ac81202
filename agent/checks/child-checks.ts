import type { CheckKind, Finding } from '../../core/index.js';
import {
  type CheckRequest,
  callHelper,
  type HelperCommand,
  helperDefaults,
} from '../helper-process.js';
import type { AgentLogger } from '../logger.js';
import { readSecurityProducts } from './antivirus/product-memory.js';
import type { Check, CheckContext, CheckResult } from './types.js';

/**
 * The checks of defaultChecks (registry.ts), in its order, each run in a
 * short-lived helper process (agent/helper.ts `run-check`): the probes,
 * judges, the finding catalogue and whatever they parse live and die
 * there, and the long-running agent keeps only the result. The order is
 * the registry's on every platform; a test holds the two together.
 */
export const CHECK_ORDER: readonly CheckKind[] = [
  'cleanup',
  'disk-space',
  'patch-assessment',
  'antivirus',
  'smart',
  'spyware-scan',
];

export interface ChildChecksOptions {
  helper: HelperCommand;
  platform: NodeJS.Platform;
  stateDir: string;
  /** @default helperDefaults.checkTimeoutMs (6 h) */
  timeoutMs?: number;
}

export function childProcessChecks(options: ChildChecksOptions): Check[] {
  return CHECK_ORDER.map((kind) => ({
    kind,
    run: (ctx) => runInChild(kind, ctx, options),
    // The helper's antivirus check keeps the products it found in the state
    // folder; the hello reads them from there.
    ...(kind === 'antivirus'
      ? { securityProducts: () => readSecurityProducts(options.stateDir) }
      : {}),
  }));
}

async function runInChild(
  kind: CheckKind,
  ctx: CheckContext,
  options: ChildChecksOptions,
): Promise<CheckResult> {
  const request: CheckRequest = {
    kind,
    platform: options.platform,
    stateDir: options.stateDir,
    policy: ctx.policy,
    trigger: ctx.trigger,
    ...(ctx.cycleId ? { cycleId: ctx.cycleId } : {}),
  };
  const timeoutMs = options.timeoutMs ?? helperDefaults.checkTimeoutMs;
  try {
    const { output, log } = await callHelper(
      ctx.run,
      options.helper,
      ['run-check', JSON.stringify(request)],
      timeoutMs,
    );
    forwardLog(log, ctx.logger);
    return asCheckResult(output);
  } catch (error) {
    ctx.logger.warn('check process failed', { check: kind, error });
    return failed(kind, (error as Error).message);
  }
}

/** The helper's log lines, through the agent's logger. */
function forwardLog(lines: readonly string[], logger: AgentLogger) {
  for (const line of lines) {
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      logger.warn('check process wrote', { line: line.slice(0, 500) });
      continue;
    }
    const { level, message, timestamp: _t, service: _s, ...fields } = entry;
    const method = String(level).toLowerCase() as keyof AgentLogger;
    const log = logger[method] ?? logger.info;
    log(String(message), fields);
  }
}

function asCheckResult(output: unknown): CheckResult {
  const result = output as Partial<CheckResult> | null;
  const valid =
    typeof result?.verdict === 'string' &&
    Array.isArray(result.findings) &&
    typeof result.data === 'object' &&
    result.data !== null;
  if (!valid) throw new Error('the check process printed no check result');
  return result as CheckResult;
}

/** agent.probe-failed, as core/catalogue/agent.ts describes it. */
function failed(kind: CheckKind, why: string): CheckResult {
  const finding: Finding = {
    code: 'agent.probe-failed',
    severity: 'warning',
    subject: `${kind} check process`,
    title: 'A check could not collect its data',
    detail: { reason: why.slice(0, 500) },
  };
  return { verdict: 'unknown', findings: [finding], data: {} };
}
