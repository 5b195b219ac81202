import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { judgeDiskSpace } from '../../agent/checks/disk-space/judge.js';
import {
  parseWindowsVolumes,
  toMonitoredVolumes,
} from '../../agent/checks/disk-space/windows-volumes.js';
import type { CheckResult } from '../../agent/checks/types.js';
import { buildReport, newReportId } from '../../agent/messages/report.js';
import type { CycleTrigger } from '../../agent/scheduler/types.js';
import {
  CHECK_KINDS,
  type CheckKind,
  DEFAULT_POLICY,
  type Report,
  type Volume,
} from '../../core/index.js';
import type { Rng } from './rng.js';

/**
 * Simulated probes behind the agent's own report builder: every report is
 * built and validated by `buildReport`, as the agent sends it. Disk space
 * goes through the real Windows parser and judge, fed a recorded
 * Win32_Volume listing (fixtures/cases, provenance in INDEX.md) whose free
 * space drifts; the other checks return data of the size and shape their
 * real probes give (a verdict, a few findings now and then).
 */
const RECORDED_LISTING = 'disk-win32-volume-recovery-efi.cim-json.txt';

/** How long each check takes on a laptop, ms (startedAt is set back). */
const DURATION_MS: Record<CheckKind, number> = {
  antivirus: 2_000,
  'spyware-scan': 15 * 60_000,
  cleanup: 40_000,
  'disk-space': 1_500,
  smart: 3_000,
  'patch-assessment': 90_000,
};

let recorded: Volume[] | undefined;

/**
 * The recorded listing, found from this module upwards: two folders up in
 * the sources, one up from the bundled command (dist/).
 */
function recordedPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++) {
    const candidate = join(dir, 'fixtures', 'cases', RECORDED_LISTING);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`fixtures/cases/${RECORDED_LISTING} not found`);
}

function recordedVolumes(): Volume[] {
  if (recorded) return recorded;
  const json = readFileSync(recordedPath(), 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('###'))
    .join('\n');
  recorded = toMonitoredVolumes(parseWindowsVolumes(json)).volumes;
  return recorded;
}

export interface SimCheckRun {
  thingName: string;
  check: CheckKind;
  trigger: CycleTrigger;
  cycleId: string;
  now: Date;
}

/** One check's report, as the agent builds it. */
export function simulatedReport(run: SimCheckRun, rng: Rng): Report {
  const finishedAt = run.now;
  const startedAt = new Date(finishedAt.getTime() - DURATION_MS[run.check]);
  return buildReport(
    {
      thingName: run.thingName,
      check: run.check,
      trigger: run.trigger,
      cycleId: run.cycleId,
      startedAt,
      finishedAt,
      result: resultOf(run.check, rng, finishedAt),
    },
    newReportId(finishedAt),
  );
}

export const SIM_CHECKS: readonly CheckKind[] = CHECK_KINDS;

function resultOf(check: CheckKind, rng: Rng, now: Date): CheckResult {
  switch (check) {
    case 'disk-space':
      return diskSpace(rng);
    case 'antivirus':
      return ok({
        product: 'Microsoft Defender Antivirus',
        engineVersion: '1.1.24090.11',
        signatureVersion: `1.419.${Math.floor(rng.between(100, 999))}.0`,
        signatureAgeHours: Math.round(rng.between(1, 30)),
        realTimeProtection: true,
        lastQuickScanAt: new Date(now.getTime() - 86_400_000).toISOString(),
      });
    case 'spyware-scan':
      return ok({
        product: 'defender',
        scanType: 'quick',
        itemsScanned: Math.round(rng.between(20_000, 90_000)),
        threats: 0,
        durationSeconds: 900,
      });
    case 'cleanup':
      return ok({
        dryRun: true,
        categories: ['temp', 'internet-cache', 'recycle-bin', 'crash-dumps'],
        candidateFiles: Math.round(rng.between(50, 4000)),
        candidateBytes: Math.round(rng.between(1e6, 4e9)),
        skipped: { inUse: 3, tooRecent: 112 },
      });
    case 'smart':
      return ok({
        drives: [
          {
            model: 'NVMe SSD 512GB',
            protocol: 'nvme',
            percentageUsed: 4,
            mediaErrors: 0,
            criticalWarning: 0,
            temperatureC: Math.round(rng.between(30, 55)),
            powerOnHours: Math.round(rng.between(800, 9000)),
          },
        ],
      });
    case 'patch-assessment':
      return patches(rng);
  }
}

function ok(data: Record<string, unknown>): CheckResult {
  return { verdict: 'ok', findings: [], data };
}

function diskSpace(rng: Rng): CheckResult {
  const share = rng.between(0.06, 0.4);
  const volumes = recordedVolumes().map((v) =>
    v.role === 'system'
      ? {
          ...v,
          freeBytes: Math.round(v.totalBytes * share),
          availableBytes: Math.round(v.totalBytes * share),
        }
      : v,
  );
  const judgement = judgeDiskSpace(volumes, DEFAULT_POLICY.disk);
  const { floorBytes, minFreePercent } = DEFAULT_POLICY.disk;
  return {
    ...judgement,
    data: { volumes, policy: { floorBytes, minFreePercent } },
  };
}

function patches(rng: Rng): CheckResult {
  const missing = Math.floor(rng.exponential(1.2));
  const updates = Array.from({ length: Math.min(missing, 6) }, (_, i) => ({
    kb: `KB50${44000 + i * 37}`,
    title: `${2026}-0${1 + i} Cumulative Update for Windows 11 Version 24H2`,
    classification: 'Security Updates',
    severity: 'Important',
    sizeBytes: 650_000_000 + i,
  }));
  return {
    verdict: missing > 0 ? 'warning' : 'ok',
    findings: [],
    data: { source: 'windows-update', missing, updates },
  };
}
