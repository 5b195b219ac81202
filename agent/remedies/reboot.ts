import { readFile } from 'node:fs/promises';
import { isoTime } from '../../core/iso-time.js';
import { planReboot } from '../../core/patches/reboot.js';
import { patchSettings } from '../../core/patches/settings.js';
import { POWERSHELL, powershellArgs } from '../platform/windows/powershell.js';
import type { RemedyContext } from './types.js';

/**
 * The restart after updates (docs/patch-doctor.md): planned outside working
 * hours in the device's zone (core/patches/reboot.ts), put off when the
 * user asks within the policy's limit, and announced by Windows itself
 * (`shutdown.exe /r /t` shows the user the time and the comment).
 *
 * The user asks through a deferral file a tray icon or the command line
 * writes: `{"requested": <count>}`; each new request the agent sees moves
 * the restart by `deferMinutes` until `maxDeferrals` are used.
 */
export interface RebootOptions {
  /** The device's IANA zone. @default the OS zone */
  timeZone: string;
  /** Where deferral requests are read. */
  deferralFile: string;
  /** Wait after the planned time before deciding no restart came, ms. */
  graceMs: number;
  /** How often the deferral file is read while waiting, ms. */
  pollMs: number;
  sleep(ms: number): Promise<void>;
}

/**
 * The OS zone, read when a restart is first planned and not before: Intl
 * maps the ICU data (about 6 MB) into the process for good, and the agent
 * loads this module with its jobs, long before any restart.
 */
let osZone: string | undefined;
function osTimeZone() {
  osZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  return osZone;
}

export const rebootDefaults: RebootOptions = {
  get timeZone() {
    return osTimeZone();
  },
  deferralFile:
    process.platform === 'win32'
      ? `${process.env.ProgramData ?? 'C:\\ProgramData'}\\Upkeep\\reboot-deferral.json`
      : '/var/lib/upkeep/reboot-deferral.json',
  graceMs: 15 * 60_000,
  pollMs: 60_000,
  sleep: (ms) =>
    new Promise((resolve) => {
      // Unref'd: a process on its way down (the restart) is not held.
      setTimeout(resolve, ms).unref();
    }),
};

export interface RebootWait {
  restarted: false;
  reason: 'no-restart-came' | 'out-of-time';
}

/**
 * Schedules the restart and waits for it. When the restart comes this
 * process ends, and the execution resumes after it (the agent runs the
 * same remedy again, which then finds the update installed). Resolves only
 * when no restart came in the time the remedy has.
 */
export async function restartAndWait(
  ctx: RemedyContext,
  options: RebootOptions,
): Promise<RebootWait> {
  const policy = patchSettings(ctx.policy).reboot;
  const deadline = ctx.now().getTime() + ctx.timeoutMs - options.graceMs;
  let used = 0;
  let seen = await deferralRequests(options.deferralFile);
  let plan = planReboot({
    nowMs: ctx.now().getTime(),
    timeZone: options.timeZone,
    policy,
    deferralsUsed: used,
  });
  await scheduleRestart(ctx, plan.atMs);

  while (ctx.now().getTime() < deadline) {
    await options.sleep(options.pollMs);
    const requested = await deferralRequests(options.deferralFile);
    if (requested > seen) {
      seen = requested;
      plan = planReboot({
        nowMs: ctx.now().getTime(),
        timeZone: options.timeZone,
        policy,
        deferralsUsed: used,
        defer: true,
      });
      used = plan.deferralsUsed;
      await scheduleRestart(ctx, plan.atMs);
      ctx.logger.info('restart deferred by the user', {
        restartAt: isoTime(plan.atMs),
        reason: plan.reason,
        deferralsLeft: plan.deferralsLeft,
      });
    }
    if (ctx.now().getTime() > plan.atMs + options.graceMs) {
      return { restarted: false, reason: 'no-restart-came' };
    }
  }
  return { restarted: false, reason: 'out-of-time' };
}

/**
 * Replaces any restart already scheduled with one at `atMs`. Windows:
 * `shutdown /a` (nothing scheduled is fine), then `shutdown /r /t` with a
 * planned-update reason (p:2:17) and a comment the user sees. Linux:
 * `shutdown -c`, then `shutdown -r +<minutes>`.
 */
export async function scheduleRestart(ctx: RemedyContext, atMs: number) {
  const seconds = Math.max(0, Math.round((atMs - ctx.now().getTime()) / 1000));
  ctx.logger.info('restart scheduled after updates', {
    restartAt: isoTime(atMs),
  });
  if (ctx.platform === 'win32') {
    const script = [
      'shutdown.exe /a 2>$null',
      `shutdown.exe /r /t ${seconds} /d p:2:17 /c "${RESTART_COMMENT}"`,
      '[pscustomobject]@{ ok = ($LASTEXITCODE -eq 0); exitCode = $LASTEXITCODE } |',
      '  ConvertTo-Json -Compress',
    ].join('\n');
    await ctx.run(POWERSHELL, powershellArgs(script), { timeoutMs: 60_000 });
    return;
  }
  await ctx.run('shutdown', ['-c'], { timeoutMs: 30_000 });
  const minutes = Math.ceil(seconds / 60);
  await ctx.run('shutdown', ['-r', minutes === 0 ? 'now' : `+${minutes}`], {
    timeoutMs: 30_000,
  });
}

export const RESTART_COMMENT =
  'Updates were installed. This device restarts at the time shown.';

async function deferralRequests(file: string): Promise<number> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8'));
    const count = Number(parsed?.requested);
    return Number.isSafeInteger(count) && count > 0 ? count : 0;
  } catch {
    return 0;
  }
}
