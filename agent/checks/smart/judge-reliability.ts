import type { Finding, Verdict } from '../../../core/index.js';
import {
  findingFor,
  type Judgement,
  judgementOf,
} from '../../../core/judgement.js';
import { MEDIA_COUNTER, trendDetail, trendOf } from './trend.js';
import type { SmartBaseline } from './types.js';
import type { ReliabilityDisk } from './windows-reliability.js';

/** Baseline keys of the Windows counters (beside smartctl's `ata.*`). */
export const RELIABILITY_KEYS = {
  read: 'win.read_uncorrected',
  write: 'win.write_uncorrected',
} as const;

export const reliabilityJudgeDefaults = {
  /** Wear (percent of rated endurance used) that warns. @default 90 */
  wearWarnPercent: 90,
  /** Wear at which the SSD is worn out; may exceed 100. @default 100 */
  wearOutPercent: 100,
};

/** Model and serial where Windows has both, as smartctl's drives are named. */
export function reliabilitySubject(disk: ReliabilityDisk): string {
  if (disk.name && disk.serial) return `${disk.name} (${disk.serial})`;
  return disk.name ?? disk.serial ?? `disk ${disk.deviceId ?? '?'}`;
}

/**
 * Judges one disk from the storage stack's view, conservatively: these
 * counters are fewer and vaguer than SMART's, so the disk is `ok` only
 * when Windows calls it Healthy, some counter is present, and it is not a
 * RAID volume (whose health is the array's, not a drive's). Anything less
 * is `unknown`, never `ok`.
 */
export function judgeReliabilityDisk(
  disk: ReliabilityDisk,
  baseline?: SmartBaseline,
): Judgement {
  const subject = reliabilitySubject(disk);
  const findings = [
    ...healthFindings(disk, subject),
    ...wearFindings(disk, subject),
    ...errorFindings(disk, subject, baseline),
  ];

  const confirmed =
    disk.health === 'healthy' && hasCounters(disk) && disk.busType !== 'RAID';
  const base: Verdict = confirmed ? 'ok' : 'unknown';
  if (!confirmed && findings.length === 0) findings.push(gap(disk, subject));
  return judgementOf(findings, base);
}

/** The counters to store for the next run's growth check. */
export function reliabilityCounters(disk: ReliabilityDisk) {
  const counters: Record<string, number> = {};
  if (disk.readErrorsUncorrected !== undefined) {
    counters[RELIABILITY_KEYS.read] = disk.readErrorsUncorrected;
  }
  if (disk.writeErrorsUncorrected !== undefined) {
    counters[RELIABILITY_KEYS.write] = disk.writeErrorsUncorrected;
  }
  return counters;
}

function hasCounters(disk: ReliabilityDisk) {
  return [
    disk.wear,
    disk.temperature,
    disk.readErrorsUncorrected,
    disk.writeErrorsUncorrected,
    disk.powerOnHours,
  ].some((v) => v !== undefined);
}

function healthFindings(disk: ReliabilityDisk, subject: string): Finding[] {
  const detail = {
    source: 'Get-PhysicalDisk',
    ...(disk.operationalStatus
      ? { operationalStatus: disk.operationalStatus }
      : {}),
    ...(disk.busType ? { busType: disk.busType } : {}),
  };
  if (disk.health === 'unhealthy') {
    return [findingFor('smart.storage-health-unhealthy', subject, { detail })];
  }
  if (disk.health === 'warning') {
    return [findingFor('smart.storage-health-warning', subject, { detail })];
  }
  return [];
}

function wearFindings(disk: ReliabilityDisk, subject: string): Finding[] {
  const wear = disk.wear;
  const { wearWarnPercent, wearOutPercent } = reliabilityJudgeDefaults;
  if (wear === undefined || wear < wearWarnPercent) return [];
  const code =
    wear >= wearOutPercent ? 'smart.ssd-worn-out' : 'smart.ssd-wear-high';
  return [
    findingFor(code, subject, {
      detail: { wear, source: 'Get-StorageReliabilityCounter' },
    }),
  ];
}

function errorFindings(
  disk: ReliabilityDisk,
  subject: string,
  baseline: SmartBaseline | undefined,
): Finding[] {
  const counts: [string, number | undefined][] = [
    [RELIABILITY_KEYS.read, disk.readErrorsUncorrected],
    [RELIABILITY_KEYS.write, disk.writeErrorsUncorrected],
  ];
  return counts.flatMap(([key, count]) => {
    if (!count) return [];
    const trend = trendOf(key, count, baseline);
    return [
      findingFor('smart.storage-uncorrected-errors', subject, {
        severity: MEDIA_COUNTER[trend],
        detail: { counter: key, trend, ...trendDetail(key, count, baseline) },
      }),
    ];
  });
}

function gap(disk: ReliabilityDisk, subject: string): Finding {
  const reason =
    disk.busType === 'RAID'
      ? 'a RAID volume: its health is the array, not a drive'
      : disk.health !== 'healthy'
        ? `Windows reports the health as ${disk.health}`
        : 'no reliability counters reported';
  return findingFor('smart.no-health-data', subject, {
    detail: { source: 'Get-StorageReliabilityCounter', reason },
  });
}
