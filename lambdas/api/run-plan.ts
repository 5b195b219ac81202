import type * as z from 'zod';
import type { CheckKind } from '../../core/checks.js';
import { CYCLES } from '../../core/cycles.js';
import {
  checkRemedy,
  type RemedyName,
  remedyRunsOn,
} from '../../core/remedies.js';
import type { runActionSchema } from '../../core/schemas/api-runs.js';
import type { MetaItem } from '../lib/items.js';
import { type PlannedJob, runJobId } from '../lib/on-demand-runs.js';
import { ApiError } from './responses.js';

/**
 * Which jobs an on-demand run makes (pure). A cycle becomes one
 * `rerun-check` job per device and check of the cycle; a remedy one job
 * per device. A device that cannot run it is skipped with a reason rather
 * than sent a job its agent would reject:
 *
 *   platform-unknown   no hello yet, so its platform is not known
 *   not-on-platform    the remedy has no implementation on its platform
 *   check-unavailable  its agent does not have the check to run or re-check
 */
export type RunAction = z.infer<typeof runActionSchema>;

export const runPlanDefaults = {
  /** Jobs one run may make: each is a billed remote action, s. DESIGN §9. */
  maxJobs: 200,
} as const;

interface Step {
  remedy: RemedyName;
  params: Record<string, unknown>;
  check: CheckKind | null;
}

export function planRun(
  devices: readonly MetaItem[],
  action: RunAction,
  ids: { prefix: string; runId: string },
) {
  const steps = stepsOf(action);
  const jobs: PlannedJob[] = [];
  const skipped: { deviceId: string; reason: string }[] = [];

  for (const meta of devices) {
    const reason = refusal(meta, steps);
    if (reason) {
      skipped.push({ deviceId: meta.thingName, reason });
      continue;
    }
    for (const step of steps) {
      const jobId = runJobId(ids.prefix, ids.runId, jobs.length + 1);
      jobs.push({ jobId, deviceId: meta.thingName, ...step });
    }
  }
  if (jobs.length > runPlanDefaults.maxJobs) {
    throw new ApiError(
      422,
      'run-too-large',
      `the run would make ${jobs.length} jobs; at most ` +
        `${runPlanDefaults.maxJobs} per run (narrow the target)`,
    );
  }
  return { jobs, skipped };
}

function stepsOf(action: RunAction): Step[] {
  if (action.kind === 'cycle') {
    const cycle = CYCLES.find((c) => c.kind === action.cycle);
    return (cycle?.checks ?? []).map((check) => ({
      remedy: 'rerun-check' as const,
      params: { check },
      check,
    }));
  }

  const checked = checkRemedy(action.remedy, action.params ?? {});
  if (!checked.ok) {
    throw new ApiError(
      400,
      'invalid-params',
      checked.reason,
      {},
      {
        path: 'action.params',
      },
    );
  }
  const check = (action.recheck ?? null) as CheckKind | null;
  return [
    { remedy: action.remedy as RemedyName, params: checked.params, check },
  ];
}

function refusal(meta: MetaItem, steps: Step[]) {
  const platform = meta.hello?.os.platform;
  if (!platform) return 'platform-unknown';
  if (steps.some((s) => !remedyRunsOn(s.remedy, platform))) {
    return 'not-on-platform';
  }
  const checks = meta.hello?.capabilities ?? [];
  if (steps.some((s) => s.check && !checks.includes(s.check))) {
    return 'check-unavailable';
  }
  return undefined;
}
