import { isoTime } from '../../../core/iso-time.js';
import type { Check, CheckResult } from '../types.js';
import { SmartBaselineStore } from './baseline-store.js';
import { driveSubject } from './judge.js';
import { createSmartCheck, type SmartCheckOptions } from './probe.js';
import type { SmartBaseline } from './types.js';

export interface BaselinedSmartOptions
  extends Omit<SmartCheckOptions, 'baselineFor'> {
  /** The agent's state folder; the baselines live in a file there. */
  stateDir: string;
}

/**
 * The SMART check with memory: each drive is judged against the counters
 * of its previous run, then those counters are stored for the next one.
 *
 *   read baselines ─▶ smartctl + judge (growth vs baseline) ─▶ store counters
 *
 * The baseline rolls forward each run, so a counter that grew is critical
 * in the run that saw it grow and history (info) once it holds still; the
 * back end keeps the finding and its occurrences.
 */
export function createBaselinedSmartCheck(
  options: BaselinedSmartOptions,
): Check {
  const { stateDir, ...smartOptions } = options;
  const store = new SmartBaselineStore(stateDir);

  return {
    kind: 'smart',
    async run(ctx) {
      const previous = await store.read(ctx.logger);
      const check = createSmartCheck({
        ...smartOptions,
        baselineFor: (device) => previous.get(driveSubject(device)),
      });
      const result = await check.run(ctx);

      const fresh = baselinesOf(result, ctx.now());
      if (fresh.size > 0) {
        await store.save(previous, fresh).catch((error: unknown) => {
          // The verdict stands; the next run compares with an older baseline.
          ctx.logger.warn('smart baseline not saved', { error });
        });
      }
      return result;
    },
  };
}

/** The counters of every drive the run reached, keyed by its subject. */
export function baselinesOf(
  result: CheckResult,
  now: Date,
): Map<string, SmartBaseline> {
  const drives = Array.isArray(result.data.drives) ? result.data.drives : [];
  const fresh = new Map<string, SmartBaseline>();

  for (const drive of drives as Record<string, unknown>[]) {
    const counters = numericCounters(drive.counters);
    if (typeof drive.drive !== 'string' || !counters) continue;
    fresh.set(drive.drive, { takenAt: isoTime(now), counters });
  }
  return fresh;
}

function numericCounters(value: unknown): Record<string, number> | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const entries = Object.entries(value).filter(
    (e): e is [string, number] => typeof e[1] === 'number',
  );
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}
