import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { policySection } from '../../../core/index.js';
import type { CommandResult } from '../../platform/command.js';
import {
  POWERSHELL,
  powershellArgs,
} from '../../platform/windows/powershell.js';
import { expandPattern } from '../cleanup/expand.js';
import { commandFailure, unparsedFinding } from '../patches/command-finding.js';
import type { Check, CheckContext } from '../types.js';
import { clamOutcome, clamscanArgs } from './clamav.js';
import { defenderScript, parseDefender } from './defender.js';
import { judgeScan, type ScanPlan, type ScanRun } from './judge.js';
import { probePower } from './power.js';
import { scanTypeFor } from './schedule.js';
import type { ScanType } from './types.js';
import { vendorScanner } from './vendors.js';

export interface SpywareCheckOptions {
  /** Folders per scan type instead of the platform's (tests). */
  targets?: Partial<Record<ScanType, string[]>>;
  /** Extra clamscan arguments, such as `-d <database>`. @default [] */
  clamscanArgs?: string[];
  /** @default '/sys/class/power_supply' */
  sysfsRoot?: string;
}

/**
 * The spyware scan (issue 3 item 6): quick on weekdays, full at weekends
 * in the client's time zone, with the selected product. A full scan waits
 * while the device runs on battery.
 */
export function createSpywareScanCheck(
  options: SpywareCheckOptions = {},
): Check {
  return {
    kind: 'spyware-scan',
    run: async (ctx) => {
      const plan = await planScan(ctx, options);
      const result = judgeScan(plan, await runScan(ctx, plan, options));
      ctx.logger.info('spyware scan finished', {
        product: plan.product,
        scanType: plan.scanType,
        verdict: result.verdict,
      });
      return result;
    },
  };
}

async function planScan(
  ctx: CheckContext,
  options: SpywareCheckOptions,
): Promise<ScanPlan> {
  const policy = policySection(ctx.policy, 'spyware');
  const product =
    policy.product === 'auto'
      ? ctx.platform === 'win32'
        ? 'defender'
        : 'clamav'
      : policy.product.toLowerCase();
  const when = scanTypeFor(
    ctx.now(),
    ctx.policy.timeZone ?? 'UTC',
    ctx.cycleId,
  );
  const power = await probePower(ctx.platform, ctx.run, options.sysfsRoot);
  return { product, ...when, power };
}

async function runScan(
  ctx: CheckContext,
  plan: ScanPlan,
  options: SpywareCheckOptions,
): Promise<ScanRun> {
  const policy = policySection(ctx.policy, 'spyware');
  const mainsOnly = plan.scanType === 'full' && policy.fullScanNeedsMains;
  if (mainsOnly && plan.power.onBattery === true) return { kind: 'deferred' };

  const minutes =
    plan.scanType === 'full'
      ? policy.fullTimeoutMinutes
      : policy.quickTimeoutMinutes;
  const timeoutMs = minutes * 60_000;
  if (plan.product === 'defender') return runDefender(ctx, plan, timeoutMs);
  if (plan.product === 'clamav') {
    return runClam(ctx, plan, timeoutMs, options);
  }
  return {
    kind: 'unsupported',
    vendor: vendorScanner(plan.product, ctx.platform),
  };
}

async function runClam(
  ctx: CheckContext,
  plan: ScanPlan,
  timeoutMs: number,
  options: SpywareCheckOptions,
): Promise<ScanRun> {
  const targets =
    options.targets?.[plan.scanType] ??
    (await defaultTargets(ctx.platform, plan.scanType));
  const args = [
    ...(options.clamscanArgs ?? []),
    ...clamscanArgs(plan.scanType, targets),
  ];
  const started = Date.now();
  const result = await ctx.run('clamscan', args, {
    timeoutMs,
    env: { ...process.env, LC_ALL: 'C' },
  });
  const failed = notRan(result, 'clamav');
  if (failed) return failed;

  const outcome = clamOutcome(result, plan.scanType, Date.now() - started);
  if (outcome) return { kind: 'ran', outcome };
  return {
    kind: 'failed',
    finding: unparsedFinding(result, 'clamav', 'no scan summary'),
  };
}

async function runDefender(
  ctx: CheckContext,
  plan: ScanPlan,
  timeoutMs: number,
): Promise<ScanRun> {
  const started = Date.now();
  const script = defenderScript(plan.scanType);
  const result = await ctx.run(POWERSHELL, powershellArgs(script), {
    timeoutMs,
  });
  const failed = notRan(result, 'defender');
  if (failed) return failed;

  const duration = Date.now() - started;
  const outcome = parseDefender(
    result.stdout,
    plan.scanType,
    duration,
    result.exitCode,
  );
  if (outcome) return { kind: 'ran', outcome };
  return {
    kind: 'failed',
    finding: unparsedFinding(result, 'defender', 'no scan JSON'),
  };
}

/** A scanner that is not installed, or a run that never ended. */
function notRan(result: CommandResult, product: string): ScanRun | undefined {
  if (result.spawnError && /ENOENT/.test(result.spawnError)) {
    return {
      kind: 'missing',
      command: result.command,
      error: result.spawnError,
    };
  }
  const failure = commandFailure(result, product);
  return failure ? { kind: 'failed', finding: failure } : undefined;
}

/**
 * Where downloads and droppers land (quick) or the whole system (full).
 * Only folders that exist are passed: clamscan warns on each missing one.
 */
async function defaultTargets(platform: NodeJS.Platform, scanType: ScanType) {
  const privileged = process.getuid?.() === 0;
  const homes = privileged
    ? platform === 'darwin'
      ? ['/Users/*']
      : ['/home/*', '/root']
    : [homedir()];
  if (scanType === 'full') {
    return platform === 'darwin'
      ? ['/Users', '/Applications', '/Library']
      : ['/'];
  }
  const patterns = [
    ...(platform === 'darwin' ? [] : ['/tmp', '/var/tmp', '/dev/shm']),
    ...homes.flatMap((h) =>
      ['Downloads', 'Desktop', '.config/autostart', '.local/bin'].map(
        (sub) => `${h}/${sub}`,
      ),
    ),
  ];
  const found = (await Promise.all(patterns.map(expandPattern))).flat();
  const real = await Promise.all(
    found.map((p) =>
      stat(p).then(
        (s) => s.isDirectory(),
        () => false,
      ),
    ),
  );
  return found.filter((_, i) => real[i]);
}
