import { type Finding, verdictOf } from '../../../core/index.js';
import type { CheckResult } from '../types.js';
import type { PathProblem, RefusedRoot } from './sweep.js';
import type { CategoryTotals, CleanupCategory, KeepReason } from './types.js';

/** Everything a run observed; the judge turns it into the report. */
export interface CleanupOutcome {
  dryRun: boolean;
  maxAgeDays: number;
  rootsWalked: number;
  totals: ReadonlyMap<CleanupCategory, CategoryTotals>;
  kept: Partial<Record<KeepReason, number>>;
  refused: readonly RefusedRoot[];
  outside: readonly PathProblem[];
  failures: readonly PathProblem[];
  deleteFailures: number;
  stoppedEarly: boolean;
  updateCacheKept: boolean;
  manifestPath?: string;
  manifestError?: string;
}

/**
 * Pure. The data holds totals per category and counts only, never the file
 * list (the manifest has it), so the report stays far below 5 KB.
 */
export function judgeCleanup(outcome: CleanupOutcome): CheckResult {
  const categories = Object.fromEntries(outcome.totals);
  const all = [...outcome.totals.values()];
  const findings = cleanupFindings(outcome);

  return {
    verdict: verdictOf(findings),
    findings,
    data: {
      dryRun: outcome.dryRun,
      maxAgeDays: outcome.maxAgeDays,
      rootsWalked: outcome.rootsWalked,
      // Bytes that went, or in a dry run would go, per category.
      categories,
      files: all.reduce((n, t) => n + t.files, 0),
      bytes: all.reduce((n, t) => n + t.bytes, 0),
      kept: outcome.kept,
      stoppedEarly: outcome.stoppedEarly,
      ...(outcome.manifestPath
        ? { manifestPath: clip(outcome.manifestPath) }
        : {}),
    },
  };
}

/** Paths in a report keep their end, where the telling names are. */
const MAX_PATH_CHARS = 120;
/** Paths listed per finding; counts say how many more there were. */
const MAX_LISTED = 3;

export function clip(path: string): string {
  if (path.length <= MAX_PATH_CHARS) return path;
  return `…${path.slice(-(MAX_PATH_CHARS - 1))}`;
}

function clipAll<T extends { path: string; link?: string }>(
  items: readonly T[],
) {
  return items.slice(0, MAX_LISTED).map((item) => ({
    ...item,
    path: clip(item.path),
    ...(item.link ? { link: clip(item.link) } : {}),
  }));
}

function cleanupFindings(o: CleanupOutcome): Finding[] {
  const findings: Finding[] = [];
  const [refused] = o.refused;
  if (refused) {
    findings.push({
      code: 'cleanup.root-refused',
      severity: 'info',
      subject: clip(refused.path),
      title: `${o.refused.length} cleanup root(s) refused: link or not folder`,
      detail: { roots: clipAll(o.refused) },
    });
  }
  const [outside] = o.outside;
  if (outside) {
    findings.push({
      code: 'cleanup.outside-root',
      severity: 'warning',
      subject: clip(outside.path),
      title: 'Paths resolved outside their cleanup root were refused',
      detail: { count: o.kept['outside-root'] ?? 0, first: clipAll(o.outside) },
    });
  }
  findings.push(...runFindings(o));
  return findings;
}

function runFindings(o: CleanupOutcome): Finding[] {
  const findings: Finding[] = [];
  const [failure] = o.failures;
  if (failure) {
    findings.push({
      code: 'cleanup.delete-failed',
      severity: 'warning',
      subject: clip(failure.path),
      title: `${o.deleteFailures} eligible file(s) could not be deleted`,
      detail: { count: o.deleteFailures, first: clipAll(o.failures) },
    });
  }
  if (o.manifestError) {
    findings.push({
      code: 'cleanup.manifest-failed',
      severity: 'warning',
      subject: 'manifest',
      title: 'Cleanup manifest could not be written; nothing was deleted',
      detail: { error: o.manifestError },
    });
  }
  if (o.updateCacheKept) {
    findings.push({
      code: 'cleanup.update-in-flight',
      severity: 'info',
      subject: 'SoftwareDistribution\\Download',
      title: 'Update download cache kept: Windows Update is busy',
    });
  }
  if (o.stoppedEarly) {
    findings.push({
      code: 'agent.probe-timeout',
      severity: 'warning',
      subject: 'cleanup',
      title: 'Cleanup stopped at its time limit; the rest waits a run',
    });
  }
  return findings;
}
