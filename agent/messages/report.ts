import { randomBytes } from 'node:crypto';
import {
  type CheckKind,
  type Report,
  reportMaxBytes,
  reportSchema,
  type Trigger,
  ulid,
} from '../../core/index.js';
import { isoTime } from '../../core/iso-time.js';
import type { CheckResult } from '../checks/types.js';
import { ReportError } from '../errors.js';
import { fitReport } from './fit-report.js';

export interface ReportInput {
  thingName: string;
  check: CheckKind;
  trigger: Trigger;
  cycleId?: string;
  startedAt: Date;
  finishedAt: Date;
  result: CheckResult;
}

/** A ULID for a report: its creation time plus 80 random bits. */
export function newReportId(now: Date) {
  return ulid(now.getTime(), (size) => randomBytes(size));
}

/**
 * The report of one check run, shrunk to fit its budget (one 5 KB billing
 * step, more for a patch assessment: reportMaxBytes) and
 * validated with the core schema before it is handed to the transport.
 */
export function buildReport(input: ReportInput, reportId: string): Report {
  const candidate = {
    v: 1,
    reportId,
    deviceId: input.thingName,
    check: input.check,
    trigger: input.trigger,
    ...(input.cycleId ? { cycleId: input.cycleId } : {}),
    startedAt: isoTime(input.startedAt),
    finishedAt: isoTime(input.finishedAt),
    verdict: input.result.verdict,
    findings: input.result.findings,
    data: input.result.data,
  };

  const parsed = reportSchema.safeParse(fitReport(candidate));
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.')}: ${i.message}`);
    const why = issues.join('; ');
    throw new ReportError(
      'report-invalid',
      `the ${input.check} report does not match the schema: ${why}`,
    );
  }
  const bytes = reportBytes(parsed.data);
  const limit = reportMaxBytes(input.check);
  if (bytes > limit) {
    throw new ReportError(
      'report-too-large',
      `the ${input.check} report is ${bytes} bytes, over ${limit}`,
    );
  }
  return parsed.data;
}

/** The size a report has on the wire, in bytes of UTF-8 JSON. */
export function reportBytes(report: unknown) {
  return Buffer.byteLength(JSON.stringify(report), 'utf8');
}
