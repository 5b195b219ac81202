import type { Finding } from '../../../core/index.js';
import { findingFor } from '../../../core/judgement.js';
import { MEDIA_COUNTER, trendDetail, trendOf } from './trend.js';
import type { NvmeHealth, SmartBaseline } from './types.js';

/** NVMe SMART/Health log critical warning bits (NVMe base spec, log 02h). */
export const CRITICAL_WARNING_BITS: ReadonlyArray<[number, string]> = [
  [0x01, 'smart.nvme-spare-below-threshold'],
  [0x02, 'smart.nvme-temperature'],
  [0x04, 'smart.nvme-reliability-degraded'],
  [0x08, 'smart.nvme-read-only'],
  [0x10, 'smart.nvme-volatile-backup-failed'],
  [0x20, 'smart.nvme-pmr-unreliable'],
];
const RESERVED_BITS = 0xc0;

const WEAR = { high: 90, wornOut: 100 };

/** Findings from the NVMe health log. */
export function judgeNvme(
  nvme: NvmeHealth,
  drive: string,
  baseline: SmartBaseline | undefined,
): Finding[] {
  return [
    ...warningBitFindings(nvme, drive),
    ...spareFinding(nvme, drive),
    ...wearFinding(nvme, drive),
    ...mediaErrorFinding(nvme, drive, baseline),
    ...temperatureFinding(nvme, drive),
    ...errorLogFinding(nvme, drive),
  ];
}

/** Every bit on its own: spare, percentage and errors can all look fine. */
function warningBitFindings(nvme: NvmeHealth, drive: string): Finding[] {
  const byte = nvme.criticalWarning ?? 0;
  const hex = `0x${byte.toString(16).padStart(2, '0')}`;

  const named = CRITICAL_WARNING_BITS.filter(([bit]) => byte & bit).map(
    ([bit, code]) =>
      findingFor(code, drive, { detail: { criticalWarning: hex, bit } }),
  );
  if (byte & RESERVED_BITS) {
    named.push(
      findingFor('smart.nvme-warning-reserved-bit', drive, {
        detail: { criticalWarning: hex, bits: byte & RESERVED_BITS },
      }),
    );
  }
  return named;
}

/** True when the drive's own warning byte explains a FAILED verdict. */
export function warningByteExplainsFailure(nvme: NvmeHealth | undefined) {
  return (nvme?.criticalWarning ?? 0) !== 0;
}

function spareFinding(nvme: NvmeHealth, drive: string): Finding[] {
  const { availableSpare: spare, spareThreshold: threshold } = nvme;
  const bitSet = ((nvme.criticalWarning ?? 0) & 0x01) !== 0;
  if (bitSet || spare === undefined || threshold === undefined) return [];
  if (threshold === 0 || spare > threshold) return [];

  return [
    findingFor('smart.nvme-spare-below-threshold', drive, {
      detail: { availableSpare: spare, threshold },
    }),
  ];
}

function wearFinding(nvme: NvmeHealth, drive: string): Finding[] {
  const used = nvme.percentageUsed;
  if (used === undefined || used < WEAR.high) return [];

  const title = `SSD endurance used: ${used}% (may exceed 100)`;
  const detail = { percentageUsed: used };
  return [
    used >= WEAR.wornOut
      ? findingFor('smart.ssd-worn-out', drive, { title, detail })
      : findingFor('smart.ssd-wear-high', drive, { title, detail }),
  ];
}

function mediaErrorFinding(
  nvme: NvmeHealth,
  drive: string,
  baseline: SmartBaseline | undefined,
): Finding[] {
  const count = nvme.mediaErrors;
  if (count === undefined || count === 0) return [];

  const key = 'nvme.media_errors';
  const trend = trendOf(key, count, baseline);
  return [
    findingFor('smart.nvme-media-errors', drive, {
      severity: MEDIA_COUNTER[trend],
      detail: { ...trendDetail(key, count, baseline), trend },
    }),
  ];
}

function temperatureFinding(nvme: NvmeHealth, drive: string): Finding[] {
  const { temperature, warningTemp } = nvme;
  const bitSet = ((nvme.criticalWarning ?? 0) & 0x02) !== 0;
  if (bitSet || temperature === undefined || warningTemp === undefined) {
    return [];
  }
  if (warningTemp === 0 || temperature < warningTemp) return [];

  return [
    findingFor('smart.temperature-high', drive, {
      detail: { temperature, warningTemp },
    }),
  ];
}

/** Host-side errors fill this log too; it is information, not a verdict. */
function errorLogFinding(nvme: NvmeHealth, drive: string): Finding[] {
  const entries = nvme.errorLogEntries;
  if (entries === undefined || entries === 0) return [];
  return [
    findingFor('smart.error-log-entries', drive, { detail: { entries } }),
  ];
}
