import {
  type Finding,
  type Verdict,
  verdictOf,
  worseVerdict,
} from '../../../core/index.js';
import { isoTime } from '../../../core/iso-time.js';
import { bySeverity, findingFor } from '../../../core/judgement.js';
import { ProbeError } from '../../errors.js';
import { runPowerShell } from '../../platform/windows/powershell.js';
import type { Check, CheckContext, CheckResult } from '../types.js';
import { SmartBaselineStore } from './baseline-store.js';
import {
  judgeReliabilityDisk,
  reliabilityCounters,
  reliabilitySubject,
} from './judge-reliability.js';
import type { SmartBaseline } from './types.js';
import {
  parseReliability,
  RELIABILITY_SCRIPT,
  type ReliabilityDisk,
} from './windows-reliability.js';
import {
  type BaselinedSmartOptions,
  createBaselinedSmartCheck,
} from './with-baseline.js';

export interface WindowsSmartOptions extends BaselinedSmartOptions {
  /** Limit of the reliability counter script, ms. @default 60_000 */
  reliabilityTimeoutMs?: number;
}

/** Disks listed in a report (a 5 KB budget). */
const MAX_DISKS = 16;

/**
 * SMART on Windows: smartctl first; when it cannot judge a drive (not
 * installed, Intel RST/VMD hiding the drives, a RAID controller), the
 * storage stack's reliability counters judge the disks smartctl did not:
 *
 *   smartctl (baselines) ─▶ any drive unknown? ─▶ Get-PhysicalDisk +
 *     Get-StorageReliabilityCounter ─▶ judge the uncovered disks
 *
 * Get-PhysicalDisk lists every disk Windows has, so once each is judged by
 * one source the check has a verdict even if smartctl's device list
 * (virtual RAID devices, say) stayed unreachable.
 */
export function createWindowsSmartCheck(options: WindowsSmartOptions): Check {
  const { reliabilityTimeoutMs = 60_000, ...smartOptions } = options;
  const smartctl = createBaselinedSmartCheck(smartOptions);
  const store = new SmartBaselineStore(options.stateDir);

  return {
    kind: 'smart',
    async run(ctx) {
      const first = await smartctl.run(ctx);
      if (!needsFallback(first)) return first;

      const read = await readReliability(ctx, reliabilityTimeoutMs);
      if (!read.ok) {
        const findings = [...first.findings, read.finding].slice(0, 50);
        return { ...first, findings };
      }
      const uncovered = read.disks.filter((d) => !judgedBySmartctl(first, d));
      return judgeUncovered(ctx, store, first, uncovered);
    },
  };
}

async function judgeUncovered(
  ctx: CheckContext,
  store: SmartBaselineStore,
  first: CheckResult,
  disks: ReliabilityDisk[],
): Promise<CheckResult> {
  const baselines = await store.read(ctx.logger);
  const judged = disks.map((disk) => ({
    disk,
    ...judgeReliabilityDisk(disk, baselines.get(reliabilitySubject(disk))),
  }));

  await saveBaselines(ctx, store, baselines, disks);

  const findings = bySeverity([
    ...first.findings,
    ...judged.flatMap((j) => j.findings),
  ]).slice(0, 50);
  const verdicts = [
    ...knownDrives(first).map((d) => d.verdict),
    ...judged.map((j) => j.verdict),
  ];
  const base =
    verdicts.length === 0
      ? first.verdict
      : verdicts.reduce<Verdict>((v, w) => worseVerdict(v, w), 'ok');
  return {
    verdict: verdictOf(findings, base),
    findings,
    data: {
      ...first.data,
      reliability: judged
        .slice(0, MAX_DISKS)
        .map((j) => diskView(j.disk, j.verdict)),
    },
  };
}

/** Stores each disk's uncorrected-error counts for the next run. */
async function saveBaselines(
  ctx: CheckContext,
  store: SmartBaselineStore,
  previous: Map<string, SmartBaseline>,
  disks: ReliabilityDisk[],
) {
  const takenAt = isoTime(ctx.now());
  const fresh = new Map<string, SmartBaseline>();
  for (const disk of disks) {
    const counters = reliabilityCounters(disk);
    if (Object.keys(counters).length === 0) continue;
    fresh.set(reliabilitySubject(disk), { takenAt, counters });
  }
  if (fresh.size === 0) return;

  await store.save(previous, fresh).catch((error: unknown) => {
    ctx.logger.warn('smart baseline not saved', { error });
  });
}

/** smartctl judged every drive it found, and found at least one. */
function needsFallback(result: CheckResult): boolean {
  const drives = drivesOf(result);
  if (drives.length === 0) return true;
  return drives.some((d) => d.verdict === undefined || d.verdict === 'unknown');
}

interface DriveData {
  drive?: string;
  verdict?: Verdict;
}

function drivesOf(result: CheckResult): DriveData[] {
  const drives = result.data.drives;
  return Array.isArray(drives) ? (drives as DriveData[]) : [];
}

function knownDrives(result: CheckResult) {
  return drivesOf(result).filter(
    (d): d is DriveData & { verdict: Verdict } =>
      d.verdict !== undefined && d.verdict !== 'unknown',
  );
}

/**
 * A disk smartctl already judged, matched by serial. Windows prints some
 * NVMe serials with separators smartctl does not; such a disk is judged
 * by both sources, which can only add findings, never hide one.
 */
function judgedBySmartctl(result: CheckResult, disk: ReliabilityDisk) {
  const serial = disk.serial;
  if (!serial) return false;
  return knownDrives(result).some((d) => d.drive?.includes(serial));
}

type ReliabilityResult =
  | { ok: true; disks: ReliabilityDisk[] }
  | { ok: false; finding: Finding };

async function readReliability(
  ctx: CheckContext,
  timeoutMs: number,
): Promise<ReliabilityResult> {
  const subject = 'Get-StorageReliabilityCounter';
  try {
    const stdout = await runPowerShell(ctx.run, RELIABILITY_SCRIPT, {
      timeoutMs,
    });
    const read = parseReliability(stdout);
    if (read.ok) return read;
    return {
      ok: false,
      finding: findingFor('agent.output-unparsed', subject, {
        severity: 'info',
        detail: { reason: read.reason },
      }),
    };
  } catch (error) {
    if (!(error instanceof ProbeError)) throw error;
    return {
      ok: false,
      finding: findingFor(`agent.${error.code}`, subject, {
        severity: 'info',
        detail: error.detail,
      }),
    };
  }
}

function diskView(disk: ReliabilityDisk, verdict: Verdict) {
  return {
    disk: reliabilitySubject(disk),
    busType: disk.busType ?? null,
    mediaType: disk.mediaType ?? null,
    health: disk.health,
    wear: disk.wear ?? null,
    temperature: disk.temperature ?? null,
    readErrorsUncorrected: disk.readErrorsUncorrected ?? null,
    writeErrorsUncorrected: disk.writeErrorsUncorrected ?? null,
    powerOnHours: disk.powerOnHours ?? null,
    verdict,
  };
}
