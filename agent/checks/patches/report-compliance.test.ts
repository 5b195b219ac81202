import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, policySection } from '../../../core/index.js';
import {
  deviceCompliance,
  patchSettings,
  reportedTotals,
  reportedUpdates,
} from '../../../core/patches/index.js';
import { reportMaxBytes } from '../../../core/schemas/report.js';
import { fitReport } from '../../messages/fit-report.js';
import {
  buildReport,
  newReportId,
  reportBytes,
} from '../../messages/report.js';
import { runCommand } from '../../platform/command.js';
import { probeApt } from './apt-probe.js';
import { judgePatches } from './judge.js';

/**
 * The patch assessment the agent sends, read back the way the cloud reads
 * it: the compliance figure must match what the agent counted.
 */
const policy = policySection(DEFAULT_POLICY, 'patches');
const APT_MS = 60_000;

function complianceOf(data: unknown, now: Date) {
  return deviceCompliance(
    {
      thingName: 'laptop-1',
      clientId: 'acme',
      assessment: {
        finishedAt: now.toISOString(),
        verdict: 'warning',
        updates: reportedUpdates(data),
        totals: reportedTotals(data),
        rebootPending: false,
      },
      failedUpdates: 0,
      settings: patchSettings(DEFAULT_POLICY),
    },
    { now },
  );
}

describe('a patch assessment of this machine, read by the cloud', () => {
  it(
    'lists every missing update, so compliance counts what the agent approved',
    async () => {
      const now = new Date();
      const result = judgePatches(await probeApt(runCommand, now), policy, now);
      const report = buildReport(
        {
          thingName: 'laptop-1',
          check: 'patch-assessment',
          trigger: 'schedule',
          startedAt: now,
          finishedAt: now,
          result,
        },
        newReportId(now),
      );
      const data = report.data as { missing: number; approved: number };

      const compliance = complianceOf(report.data, now);

      expect(reportedUpdates(report.data)).toHaveLength(data.missing);
      expect(compliance.missingApproved.total).toBe(data.approved);
      expect(compliance.partial).toBe(false);
      expect(reportBytes(report)).toBeLessThanOrEqual(
        reportMaxBytes('patch-assessment'),
      );
    },
    APT_MS,
  );

  it(
    'marks a list cut to fit as partial and counts from the totals',
    async () => {
      const now = new Date();
      const result = judgePatches(await probeApt(runCommand, now), policy, now);
      const data = result.data as { missing: number; approved: number };
      const candidate = { check: 'patch-assessment', findings: [], data };
      // A budget a third of the full report's forces the list to be cut.
      const budget = Math.floor(reportBytes(candidate) / 3);

      const cut = fitReport(candidate, budget);
      const compliance = complianceOf(cut.data, now);

      expect(reportBytes(cut)).toBeLessThanOrEqual(budget);
      expect(reportedUpdates(cut.data).length).toBeLessThan(data.missing);
      expect(compliance.partial).toBe(true);
      expect(compliance.missingApproved.total).toBe(data.approved);
    },
    APT_MS,
  );
});
