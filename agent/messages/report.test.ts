import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  REPORT_MAX_BYTES,
  reportSchema,
  ULID_PATTERN,
  ulidTime,
  type Volume,
} from '../../core/index.js';
import { judgeDiskSpace } from '../checks/disk-space/judge.js';
import type { CheckResult } from '../checks/types.js';
import { ReportError } from '../errors.js';
import { buildReport, newReportId, reportBytes } from './report.js';

// The folder-mounted volume of disk-win32-logicaldisk-odd-types.txt, the
// base the many-volume machine below repeats.
const mountTest: Volume = {
  id: '\\\\?\\Volume{3941b056-a84c-11e5-9f02-080027439196}\\',
  mount: 'C:\\MountedPoint\\Here\\',
  fsType: 'NTFS',
  label: 'MountTest',
  role: 'data',
  totalBytes: 101707776,
  freeBytes: 87314432,
  availableBytes: 87314432,
};
const policy = {
  floorBytes: DEFAULT_POLICY.disk.floorBytes,
  minFreePercent: DEFAULT_POLICY.disk.minFreePercent,
};

function diskResult(volumes: Volume[]): CheckResult {
  return { ...judgeDiskSpace(volumes), data: { volumes, policy } };
}

function volumeNumber(n: number): Volume {
  return {
    ...mountTest,
    id: mountTest.id.replace('3941b056', `${n}`.padStart(8, '0')),
    mount: `C:\\MountedPoint\\Volume${n}\\`,
  };
}

const started = new Date('2026-03-02T09:30:00.000Z');
const finished = new Date('2026-03-02T09:30:01.250Z');
const input = (result: CheckResult) => ({
  thingName: 'laptop-0042',
  check: 'disk-space' as const,
  trigger: 'schedule' as const,
  startedAt: started,
  finishedAt: finished,
  result,
});

describe('newReportId', () => {
  it('is a ULID carrying the time it was made', () => {
    const id = newReportId(finished);

    expect(id).toMatch(ULID_PATTERN);
    expect(ulidTime(id)).toBe(finished.getTime());
    expect(newReportId(finished)).not.toBe(id);
  });
});

describe('buildReport', () => {
  it('builds a disk-space report the core schema accepts', () => {
    const id = newReportId(finished);

    const report = buildReport(input(diskResult([mountTest])), id);

    expect(reportSchema.parse(report)).toEqual(report);
    expect(report).toMatchObject({
      v: 1,
      reportId: id,
      deviceId: 'laptop-0042',
      check: 'disk-space',
      trigger: 'schedule',
      startedAt: '2026-03-02T09:30:00.000Z',
      finishedAt: '2026-03-02T09:30:01.250Z',
      verdict: 'ok',
      findings: [],
    });
  });

  it('keeps a 40-volume machine under 5 KB by leaving out ok volumes', () => {
    const volumes = Array.from({ length: 40 }, (_, n) => volumeNumber(n));
    const full = { ...volumes[39], availableBytes: 0 } as Volume;
    volumes[39] = full;

    const report = buildReport(
      input(diskResult(volumes)),
      newReportId(finished),
    );

    expect(reportBytes(report)).toBeLessThanOrEqual(REPORT_MAX_BYTES);
    if (report.check !== 'disk-space') throw new Error('wrong check');
    const kept = report.data.volumes.map((v) => v.id);
    expect(kept).toContain(full.id);
    expect(report.data.omittedVolumes).toBe(40 - kept.length);
    expect(report.findings.map((f) => f.subject)).toEqual([full.id]);
  });

  it('keeps everything of a small report, details included', () => {
    const full = { ...mountTest, availableBytes: 0 };

    const report = buildReport(
      input(diskResult([full])),
      newReportId(finished),
    );

    expect(report.findings[0]?.detail).toMatchObject({ availableBytes: 0 });
    expect(report.data).not.toHaveProperty('omittedVolumes');
  });

  it('rejects a report the schema would refuse, naming the field', () => {
    const bad = { ...diskResult([mountTest]), verdict: 'fine' } as never;

    expect(() => buildReport(input(bad), newReportId(finished))).toThrow(
      /verdict/,
    );
  });

  it('refuses a report that cannot be shrunk under 5 KB', () => {
    const findings = Array.from({ length: 40 }, (_, n) => ({
      code: 'disk.below-floor',
      severity: 'critical' as const,
      subject: volumeNumber(n).id,
      title: `${'x'.repeat(150)} ${n}`,
    }));
    const result = { ...diskResult([mountTest]), findings };

    const attempt = () => buildReport(input(result), newReportId(finished));

    expect(attempt).toThrow(ReportError);
    expect(attempt).toThrow(/over 5120/);
  });
});
