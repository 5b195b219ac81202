import {
  type ApprovalContext,
  approveUpdate,
  type UpdateFacts,
} from './approval.js';
import type { PatchSettings } from './settings.js';

/**
 * Patch compliance of a device and of a client (docs/patch-doctor.md).
 * Pure: the caller reads the stored state and passes it in, so the API and
 * a test compute the same numbers from the same items.
 */
export const SEVERITY_BUCKETS = [
  'critical',
  'important',
  'moderate',
  'low',
  'unrated',
] as const;
export type SeverityBucket = (typeof SEVERITY_BUCKETS)[number];

export type MissingBySeverity = Record<SeverityBucket, number> & {
  total: number;
};

export interface DeviceComplianceInput {
  thingName: string;
  clientId: string;
  /** The latest assessment: when, its verdict, its missing updates. */
  assessment?: {
    finishedAt: string;
    verdict: string;
    updates: UpdateFacts[];
    /**
     * The agent's counts (report `missing`, `approved`): every missing
     * update, and those its policy approves, listed or not. Absent from an
     * older agent's report.
     */
    totals?: { missing: number | null; approved: number | null };
    rebootPending: boolean | null;
  };
  /** Finish time of the newest assessment whose search ran. */
  lastGoodAssessmentAt?: string;
  /** Open failed-install findings (Windows Update codes). */
  failedUpdates: number;
  settings: PatchSettings;
}

export interface DeviceCompliance {
  thingName: string;
  clientId: string;
  missingApproved: MissingBySeverity;
  /**
   * The report listed fewer updates than it counted: `total` takes the
   * agent's approved count, the severity buckets cover the listed ones
   * only, and the figure is a lower bound (docs/patch-doctor.md).
   */
  partial: boolean;
  failed: number;
  pendingReboot: boolean | null;
  lastAssessmentAt: string | null;
  lastGoodAssessmentAt: string | null;
  /** Nothing approved missing, nothing failed, no restart due, known. */
  compliant: boolean;
}

export function emptyMissing(): MissingBySeverity {
  return {
    critical: 0,
    important: 0,
    moderate: 0,
    low: 0,
    unrated: 0,
    total: 0,
  };
}

export function bucketOf(severity: string | undefined): SeverityBucket {
  const word = (severity ?? '').trim().toLowerCase();
  return (SEVERITY_BUCKETS as readonly string[]).includes(word)
    ? (word as SeverityBucket)
    : 'unrated';
}

export function deviceCompliance(
  input: DeviceComplianceInput,
  context: ApprovalContext,
): DeviceCompliance {
  const missing = emptyMissing();
  const good = input.assessment && input.assessment.verdict !== 'unknown';
  const listed = good ? (input.assessment?.updates ?? []) : [];
  for (const update of listed) {
    if (!approveUpdate(update, input.settings, context).approved) continue;
    missing[bucketOf(update.severity)]++;
    missing.total++;
  }

  // A cut list must not pass for the whole: the agent counted the rest.
  const totals = good ? input.assessment?.totals : undefined;
  const partial =
    totals?.missing !== undefined &&
    totals.missing !== null &&
    totals.missing > listed.length;
  if (partial) missing.total = Math.max(missing.total, totals.approved ?? 0);

  const pendingReboot = input.assessment?.rebootPending ?? null;
  return {
    thingName: input.thingName,
    clientId: input.clientId,
    missingApproved: missing,
    partial,
    failed: input.failedUpdates,
    pendingReboot,
    lastAssessmentAt: input.assessment?.finishedAt ?? null,
    lastGoodAssessmentAt: input.lastGoodAssessmentAt ?? null,
    compliant:
      Boolean(good) &&
      missing.total === 0 &&
      input.failedUpdates === 0 &&
      pendingReboot !== true,
  };
}

export interface ClientCompliance {
  clientId: string;
  devices: number;
  compliant: number;
  missingApproved: MissingBySeverity;
  /** Devices whose figure is partial (DeviceCompliance.partial). */
  partial: number;
  failed: number;
  pendingReboot: number;
  /** Devices without any assessment whose search ran. */
  neverAssessed: number;
}

export function clientCompliance(
  clientId: string,
  devices: readonly DeviceCompliance[],
): ClientCompliance {
  const missing = emptyMissing();
  for (const device of devices) {
    for (const key of [...SEVERITY_BUCKETS, 'total'] as const) {
      missing[key] += device.missingApproved[key];
    }
  }
  return {
    clientId,
    devices: devices.length,
    compliant: devices.filter((d) => d.compliant).length,
    missingApproved: missing,
    partial: devices.filter((d) => d.partial).length,
    failed: devices.reduce((n, d) => n + d.failed, 0),
    pendingReboot: devices.filter((d) => d.pendingReboot === true).length,
    neverAssessed: devices.filter((d) => d.lastGoodAssessmentAt === null)
      .length,
  };
}

const CSV_COLUMNS = [
  'clientId',
  'thingName',
  'missingCritical',
  'missingImportant',
  'missingModerate',
  'missingLow',
  'missingUnrated',
  'missingTotal',
  'missingPartial',
  'failed',
  'pendingReboot',
  'lastAssessmentAt',
  'lastGoodAssessmentAt',
  'compliant',
] as const;

/** RFC 4180 CSV, one device a row, CRLF line ends. */
export function complianceCsv(devices: readonly DeviceCompliance[]): string {
  const rows = devices.map((d) => [
    d.clientId,
    d.thingName,
    d.missingApproved.critical,
    d.missingApproved.important,
    d.missingApproved.moderate,
    d.missingApproved.low,
    d.missingApproved.unrated,
    d.missingApproved.total,
    d.partial,
    d.failed,
    d.pendingReboot ?? '',
    d.lastAssessmentAt ?? '',
    d.lastGoodAssessmentAt ?? '',
    d.compliant,
  ]);
  return [CSV_COLUMNS, ...rows]
    .map((row) => row.map((v) => csvField(String(v))).join(','))
    .join('\r\n')
    .concat('\r\n');
}

/**
 * Quotes a field when it needs it, and defuses a leading `=`, `+`, `-` or
 * `@`, which a spreadsheet would run as a formula (thing names are the
 * MSP's, but a client id may come from elsewhere).
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n']/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
