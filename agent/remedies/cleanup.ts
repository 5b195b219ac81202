import { type Policy, policySection } from '../../core/index.js';
import type { CheckResult } from '../checks/types.js';
import type {
  RemedyContext,
  RemedyImplementation,
  RemedyOutcome,
} from './types.js';

interface CleanupParams {
  volume?: string;
  maxAgeDays?: number;
}

/**
 * The cleanup check of this agent, run for real (`dryRun: false`) on its
 * own roots with its own safety rules (age, open files, links, owners).
 * Its result is not published as a report: the job's re-check (disk-space
 * by default) is the proof, and the counts go into statusDetails.
 *
 * Deleting what is already gone deletes nothing: idempotent.
 *
 * Known limitation: `volume` is recorded but does not narrow the roots,
 * because the cleanup check takes its roots when it is built. Cleaning the
 * other roots too follows the same rules, so it is harmless; the cleanup
 * check gaining a root filter in its context fixes it.
 */
export const cleanup: RemedyImplementation<CleanupParams> = {
  name: 'cleanup',
  platforms: ['win32', 'linux', 'darwin'],
  idempotent: true,
  recheck: () => 'disk-space',
  run: (ctx, params) => runCleanupForReal(ctx, params),
};

export async function runCleanupForReal(
  ctx: RemedyContext,
  params: CleanupParams,
): Promise<RemedyOutcome> {
  const check = ctx.checks.find((c) => c.kind === 'cleanup');
  if (!check) return { ok: false, summary: 'this agent has no cleanup check' };

  const result = await check.run({
    now: ctx.now,
    policy: realCleanupPolicy(ctx.policy, params),
    platform: ctx.platform,
    run: ctx.run,
    logger: ctx.logger,
    trigger: 'job',
  });
  return outcomeOf(result, params);
}

/** The policy with cleanup switched to real deletion for this one run. */
export function realCleanupPolicy(
  policy: Policy,
  params: CleanupParams,
): Policy {
  const section = policySection(policy, 'cleanup');
  return {
    ...policy,
    cleanup: {
      ...section,
      dryRun: false,
      maxAgeDays: params.maxAgeDays ?? section.maxAgeDays,
    },
  };
}

function outcomeOf(result: CheckResult, params: CleanupParams): RemedyOutcome {
  const files = Number(result.data.files ?? 0);
  const bytes = Number(result.data.bytes ?? 0);
  const ok = result.verdict !== 'unknown';
  const first = result.findings[0];
  return {
    ok,
    summary: ok
      ? `deleted ${files} files, ${bytes} bytes`
      : `cleanup did not finish: ${first?.title ?? 'unknown error'}`,
    details: {
      deletedFiles: files,
      deletedBytes: bytes,
      ...(params.volume ? { volume: params.volume } : {}),
    },
  };
}
