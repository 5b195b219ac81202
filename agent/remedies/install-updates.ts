import { runPowerShell } from '../platform/windows/powershell.js';
import {
  type AptInstallOptions,
  aptInstall,
  aptInstallDefaults,
} from './apt-install.js';
import { isIdle } from './idle.js';
import {
  type RebootOptions,
  rebootDefaults,
  restartAndWait,
} from './reboot.js';
import type {
  RemedyContext,
  RemedyImplementation,
  RemedyOutcome,
} from './types.js';
import {
  judgeWuaInstall,
  type KbOutcome,
  parseWuaInstall,
  wuaInstallScript,
} from './wua-install.js';

/**
 * `install-updates` (a Patch Doctor deployment) and `retry-update` (a step
 * of a Windows Update failure chain), docs/patch-doctor.md:
 *
 *   window missed? ─▶ wait until the user is idle (at most maxIdleWait)
 *   install ─▶ read back what Windows (or apt) says is true
 *     ├─ a failure, or "success" with nothing installed ─▶ not ok
 *     ├─ a restart is due ─▶ restart outside working hours, wait for it
 *     │     └─ after the restart the agent runs this again: the update is
 *     │        found installed in the history and the run is ok
 *     └─ installed ─▶ ok
 *
 * Idempotent on purpose: running it again after the restart is how the
 * install is verified, so a restart is never reported as a failure.
 */
export interface InstallOptions {
  reboot: RebootOptions;
  apt: AptInstallOptions;
  /** Check for an idle user this often, ms. @default 5 min */
  idlePollMs: number;
  /** After this long busy, install anyway, ms. @default 4 h */
  maxIdleWaitMs: number;
}

export const installDefaults: InstallOptions = {
  reboot: rebootDefaults,
  apt: aptInstallDefaults,
  idlePollMs: 5 * 60_000,
  maxIdleWaitMs: 4 * 3_600_000,
};

interface InstallParams {
  updates: string[];
  windowEndsAt: string;
  wave?: string;
}

export function createInstallUpdates(
  options: Partial<InstallOptions> = {},
): RemedyImplementation<InstallParams> {
  const o = { ...installDefaults, ...options };
  return {
    name: 'install-updates',
    platforms: ['win32', 'linux'],
    idempotent: true,
    recheck: () => 'patch-assessment',
    run: async (ctx, params) => {
      if (Date.parse(params.windowEndsAt) < ctx.now().getTime()) {
        await waitForIdle(ctx, o);
      }
      return installAndVerify(ctx, params.updates, o);
    },
  };
}

export function createRetryUpdate(
  options: Partial<InstallOptions> = {},
): RemedyImplementation<{ kb?: string }> {
  const o = { ...installDefaults, ...options };
  return {
    name: 'retry-update',
    platforms: ['win32'],
    idempotent: true,
    recheck: () => 'patch-assessment',
    refuse: (params) =>
      params.kb
        ? undefined
        : {
            reason: 'not-allowed',
            message: 'retry-update needs the KB of the failed update',
          },
    run: (ctx, params) => installAndVerify(ctx, [params.kb as string], o),
  };
}

async function waitForIdle(ctx: RemedyContext, o: InstallOptions) {
  const until = ctx.now().getTime() + Math.min(o.maxIdleWaitMs, ctx.timeoutMs);
  while (!(await isIdle(ctx)) && ctx.now().getTime() < until) {
    ctx.logger.info('window missed, waiting for the user to be idle', {
      pollMs: o.idlePollMs,
    });
    await o.reboot.sleep(o.idlePollMs);
  }
}

async function installAndVerify(
  ctx: RemedyContext,
  updates: string[],
  o: InstallOptions,
): Promise<RemedyOutcome> {
  const read = await install(ctx, updates, o);
  if ('error' in read) return read.error;

  const { outcomes, rebootRequired } = read;
  const bad = outcomes.filter(
    (k) => k.state === 'failed' || k.state === 'claimed-not-installed',
  );
  if (bad.length > 0) return failure(bad, outcomes);

  const waiting = outcomes.filter((k) => k.state === 'pending-reboot');
  if (waiting.length > 0 || rebootRequired) {
    const wait = await restartAndWait(ctx, o.reboot);
    return {
      ok: true,
      summary:
        `${names(waiting)} installed; the restart did not come ` +
        `(${wait.reason}), verified at the next run`,
      details: { ...counts(outcomes), rebootPending: true },
    };
  }
  const done = outcomes.filter((k) => k.state === 'installed');
  return {
    ok: true,
    summary:
      done.length > 0
        ? `${names(done)} installed and verified`
        : 'nothing to install: no update asked for is offered',
    details: counts(outcomes),
  };
}

type InstallRead =
  | { outcomes: KbOutcome[]; rebootRequired: boolean }
  | { error: RemedyOutcome };

async function install(
  ctx: RemedyContext,
  updates: string[],
  o: InstallOptions,
): Promise<InstallRead> {
  if (ctx.platform === 'linux') {
    const result = await aptInstall(ctx, updates, o.apt);
    return { outcomes: result.outcomes, rebootRequired: result.rebootRequired };
  }
  let stdout: string;
  try {
    stdout = await runPowerShell(ctx.run, wuaInstallScript(updates), {
      timeoutMs: ctx.timeoutMs,
    });
  } catch (error) {
    return { error: { ok: false, summary: (error as Error).message } };
  }
  const output = parseWuaInstall(stdout);
  if (!output) {
    const message = /"message":"([^"]*)"/.exec(stdout)?.[1];
    const summary = message
      ? `the install failed: ${message}`
      : 'the install script printed no result';
    return {
      error: { ok: false, summary, details: { output: stdout.slice(-300) } },
    };
  }
  return {
    outcomes: judgeWuaInstall(updates, output),
    rebootRequired: output.RebootRequired,
  };
}

function failure(bad: KbOutcome[], all: KbOutcome[]): RemedyOutcome {
  const first = bad[0] as KbOutcome;
  const what = bad
    .map((k) =>
      k.state === 'claimed-not-installed'
        ? `${k.kb} reported installed but is not`
        : `${k.kb} failed${k.hresult ? ` with ${k.hresult}` : ''}`,
    )
    .join('; ');
  return {
    ok: false,
    summary: what,
    details: {
      ...counts(all),
      kb: first.kb,
      ...(first.hresult ? { hresult: first.hresult } : {}),
    },
  };
}

function counts(outcomes: KbOutcome[]) {
  const of = (state: KbOutcome['state']) =>
    outcomes.filter((k) => k.state === state).length;
  return {
    installed: of('installed'),
    pendingReboot: of('pending-reboot'),
    failed: of('failed') + of('claimed-not-installed'),
    notOffered: of('not-offered'),
  };
}

function names(outcomes: KbOutcome[]) {
  return outcomes.map((k) => k.kb).join(', ');
}

export const installUpdates = createInstallUpdates();
export const retryUpdate = createRetryUpdate();
