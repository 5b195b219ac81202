import { reportMaxBytes } from '../../core/index.js';

/**
 * Shrinks a report until it fits its budget (reportMaxBytes: one 5 KB IoT
 * billing step for most checks), dropping the least useful parts first and
 * never a finding:
 *
 *   1. the `detail` of each finding (the title says the essentials);
 *   2. for disk-space, the label and device of each volume;
 *   3. for disk-space, volumes without a finding, last first, counted in
 *      `omittedVolumes` (also applied past the schema's 32 volumes);
 *   4. for patch-assessment, listed updates, last first (the agent lists
 *      approved ones first); `missing` and `approved` still count them.
 *
 * What still does not fit is the caller's error to raise.
 */
interface ShrinkableReport {
  check: string;
  findings: { subject: string; detail?: unknown }[];
  data: Record<string, unknown>;
}

interface DiskVolumeLike {
  id: string;
  label?: string;
  device?: string;
}

const MAX_VOLUMES = 32;

export function fitReport<T extends ShrinkableReport>(
  report: T,
  maxBytes = reportMaxBytes(report.check),
): T {
  const fits = (r: T) =>
    bytes(r) <= maxBytes && volumesOf(r).length <= MAX_VOLUMES;
  if (fits(report)) return report;

  const steps = [
    withoutDetails,
    withoutVolumeNames,
    (r: T) => withoutOkVolumes(r, fits),
    (r: T) => withFewerUpdates(r, fits),
  ];
  let current = report;
  for (const step of steps) {
    current = step(current);
    if (fits(current)) break;
  }
  return current;
}

function withoutDetails<T extends ShrinkableReport>(report: T): T {
  const findings = report.findings.map(({ detail, ...rest }) => rest);
  return { ...report, findings };
}

function withoutVolumeNames<T extends ShrinkableReport>(report: T): T {
  if (report.check !== 'disk-space') return report;

  const volumes = volumesOf(report).map(({ label, device, ...rest }) => rest);
  return { ...report, data: { ...report.data, volumes } };
}

function withoutOkVolumes<T extends ShrinkableReport>(
  report: T,
  fits: (r: T) => boolean,
): T {
  if (report.check !== 'disk-space') return report;

  const flagged = new Set(report.findings.map((f) => f.subject));
  const volumes = [...volumesOf(report)];
  let omitted = Number(report.data.omittedVolumes ?? 0);
  let current = report;
  while (!fits(current)) {
    const at = volumes.findLastIndex((v) => !flagged.has(v.id));
    if (at < 0) break;

    volumes.splice(at, 1);
    omitted += 1;
    const data = {
      ...report.data,
      volumes: [...volumes],
      omittedVolumes: omitted,
    };
    current = { ...report, data };
  }
  return current;
}

function withFewerUpdates<T extends ShrinkableReport>(
  report: T,
  fits: (r: T) => boolean,
): T {
  const updates = report.data.updates;
  if (report.check !== 'patch-assessment' || !Array.isArray(updates)) {
    return report;
  }

  // Halving finds the longest list that fits in a few serialisations.
  const cut = (n: number) =>
    ({
      ...report,
      data: { ...report.data, updates: updates.slice(0, n) },
    }) as T;
  let low = 0;
  let high = updates.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(cut(mid))) low = mid;
    else high = mid - 1;
  }
  return cut(low);
}

function volumesOf(report: ShrinkableReport): DiskVolumeLike[] {
  const volumes = report.data.volumes;
  return report.check === 'disk-space' && Array.isArray(volumes)
    ? (volumes as DiskVolumeLike[])
    : [];
}

function bytes(report: unknown) {
  return Buffer.byteLength(JSON.stringify(report), 'utf8');
}
