import { describe, expect, it } from 'vitest';
import { findingSchema, REPORT_MAX_BYTES } from '../../../core/index.js';
import { type CleanupOutcome, judgeCleanup } from './judge.js';
import { CLEANUP_CATEGORIES } from './types.js';

function outcome(over: Partial<CleanupOutcome> = {}): CleanupOutcome {
  return {
    dryRun: false,
    maxAgeDays: 7,
    rootsWalked: 3,
    totals: new Map(),
    kept: {},
    refused: [],
    outside: [],
    failures: [],
    deleteFailures: 0,
    stoppedEarly: false,
    updateCacheKept: false,
    ...over,
  };
}

describe('judgeCleanup', () => {
  it('keeps the worst-case report data under the 5 KB report budget', () => {
    const long = `/${'x'.repeat(250)}`;
    const problems = Array.from({ length: 5 }, () => ({
      path: long,
      code: 'EACCES',
    }));
    const result = judgeCleanup(
      outcome({
        totals: new Map(
          CLEANUP_CATEGORIES.map((c) => [
            c,
            { files: 1e9, bytes: 1e15, dirs: 1e6 },
          ]),
        ),
        kept: { fresh: 1e9, 'in-use': 1e6, protected: 10, error: 5 },
        refused: problems.map((p) => ({
          path: p.path,
          reason: 'link-in-path' as const,
          link: long,
        })),
        outside: problems,
        failures: problems,
        deleteFailures: 1e6,
        stoppedEarly: true,
        updateCacheKept: true,
        manifestPath: long,
      }),
    );

    const size = Buffer.byteLength(JSON.stringify(result));
    expect(() => findingSchema.array().parse(result.findings)).not.toThrow();
    expect(size).toBeLessThan(REPORT_MAX_BYTES);
    expect(result.findings.map((f) => f.code)).toEqual([
      'cleanup.root-refused',
      'cleanup.outside-root',
      'cleanup.delete-failed',
      'cleanup.update-in-flight',
      'agent.probe-timeout',
    ]);
    expect(result.verdict).toBe('warning');
  });

  it('adds the bytes of every category into the total', () => {
    const result = judgeCleanup(
      outcome({
        totals: new Map([
          ['temp-user', { files: 2, bytes: 300, dirs: 0 }],
          ['browser-chrome', { files: 5, bytes: 7000, dirs: 1 }],
        ]),
      }),
    );

    expect(result.data).toMatchObject({ files: 7, bytes: 7300 });
    expect(result.verdict).toBe('ok');
    expect(result.findings).toEqual([]);
  });
});
