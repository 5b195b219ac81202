import { homedir } from 'node:os';
import { policySection } from '../../../core/index.js';
import type { Check, CheckContext, CheckResult } from '../types.js';
import { expandPattern } from './expand.js';
import { type CleanupOutcome, judgeCleanup } from './judge.js';
import { ManifestWriter } from './manifest.js';
import { openFilesLinux } from './open-files.js';
import { platformRoots, type RootEnv } from './roots.js';
import { Sweep } from './sweep.js';
import type { RootSpec } from './types.js';
import { probeUpdateInFlight } from './update-guard.js';

const DAY_MS = 86_400_000;

const defaults = {
  /** The walk stops taking new entries after this long, ms. */
  timeBudgetMs: 15 * 60_000,
  /** Where Linux lists open files. */
  procRoot: '/proc',
};

export interface CleanupCheckOptions {
  /** The agent's state folder; manifests go to `<stateDir>/cleanup/`. */
  stateDir: string;
  /** Roots to clean instead of the platform table (tests use temp dirs). */
  roots?: readonly RootSpec[];
  /** @default 15 minutes */
  timeBudgetMs?: number;
  /** @default '/proc' */
  procRoot?: string;
}

/** The daily cleanup of temp files and internet debris (issue 3 item 2). */
export function createCleanupCheck(options: CleanupCheckOptions): Check {
  return {
    kind: 'cleanup',
    run: (ctx) =>
      runCleanup(ctx, options).catch((error: Error) => failed(ctx, error)),
  };
}

async function runCleanup(
  ctx: CheckContext,
  options: CleanupCheckOptions,
): Promise<CheckResult> {
  const policy = policySection(ctx.policy, 'cleanup');
  const now = ctx.now();
  const { timeBudgetMs, procRoot } = { ...defaults, ...options };
  const specs = selectRoots(
    options.roots ?? tableRoots(ctx),
    policy.categories,
  );

  const guardRoots = specs.filter((s) => s.guard === 'no-update-in-flight');
  const busy = guardRoots.length > 0 && (await probeUpdateInFlight(ctx.run));
  const walked = busy ? specs.filter((s) => !s.guard) : specs;

  const outcome: CleanupOutcome = emptyOutcome(policy, busy);
  let manifest: ManifestWriter | undefined;
  if (!policy.dryRun) {
    try {
      manifest = await ManifestWriter.create(options.stateDir, now);
    } catch (error) {
      outcome.manifestError = String((error as Error).message);
      return judgeCleanup(outcome);
    }
  }

  const sweep = new Sweep({
    rules: {
      keepAfterMs: now.getTime() - policy.maxAgeDays * DAY_MS,
      allowIso: policy.allowIso,
      openFiles:
        ctx.platform === 'linux' ? await openFilesLinux(procRoot) : new Set(),
    },
    dryRun: policy.dryRun,
    platform: ctx.platform,
    manifest,
    deadlineMs: now.getTime() + timeBudgetMs,
    now: () => Date.now(),
  });
  try {
    for (const spec of walked) {
      for (const path of await expandPattern(spec.path)) {
        await sweep.sweepRoot(spec, path);
      }
    }
  } finally {
    await manifest?.close();
  }

  const result = judgeCleanup({
    ...outcome,
    ...pickSweep(sweep),
    manifestPath: manifest?.path,
  });
  ctx.logger.info('cleanup finished', {
    dryRun: policy.dryRun,
    files: result.data.files,
    bytes: result.data.bytes,
  });
  return result;
}

function tableRoots(ctx: CheckContext): RootSpec[] {
  const env: RootEnv = {
    platform: ctx.platform,
    home: homedir(),
    privileged: process.getuid?.() === 0 || ctx.platform === 'win32',
    env: process.env,
  };
  return platformRoots(env);
}

/** Policy `categories` narrows the roots; an empty list keeps them all. */
function selectRoots(specs: readonly RootSpec[], categories: string[]) {
  if (categories.length === 0) return [...specs];
  return specs.filter((s) => categories.includes(s.category));
}

function emptyOutcome(
  policy: { dryRun: boolean; maxAgeDays: number },
  updateCacheKept: boolean,
): CleanupOutcome {
  return {
    dryRun: policy.dryRun,
    maxAgeDays: policy.maxAgeDays,
    rootsWalked: 0,
    totals: new Map(),
    kept: {},
    refused: [],
    outside: [],
    failures: [],
    deleteFailures: 0,
    stoppedEarly: false,
    updateCacheKept,
  };
}

function pickSweep(sweep: Sweep) {
  const { totals, kept, refused, outside, failures } = sweep;
  const { rootsWalked, deleteFailures, stoppedEarly } = sweep;
  return {
    ...{ totals, kept, refused, outside, failures },
    ...{ rootsWalked, deleteFailures, stoppedEarly },
  };
}

/** A walk that threw is a probe failure, never a crash of the agent. */
function failed(ctx: CheckContext, error: Error): CheckResult {
  ctx.logger.warn('cleanup failed', { error });
  return {
    verdict: 'unknown',
    findings: [
      {
        code: 'agent.probe-failed',
        severity: 'warning',
        subject: 'cleanup',
        title: 'Cleanup could not finish',
        detail: { error: error.message },
      },
    ],
    data: {},
  };
}
