import * as z from 'zod';
import { CHECK_KINDS, TRIGGERS } from '../checks.js';
import { THING_NAME_PATTERN } from '../topics.js';
import { ULID_PATTERN } from '../ulid.js';
import { VERDICTS } from '../verdict.js';
import { diskSpaceDataSchema } from './disk.js';
import { findingSchema } from './finding.js';

/** IoT Core bills in 5 KB steps; a report stays within one step. */
export const REPORT_MAX_BYTES = 5 * 1024;

/**
 * Checks allowed more than one step. A patch assessment lists every
 * missing update the cloud approves and counts (docs/patch-doctor.md):
 * 48 KB is a weekly report of up to ten steps, well under the 128 KB IoT
 * message limit (docs/architecture.md, Departure).
 */
const REPORT_MAX_BYTES_BY_CHECK: Partial<Record<string, number>> = {
  'patch-assessment': 48 * 1024,
};

/** The size budget of one check's report, bytes of UTF-8 JSON. */
export function reportMaxBytes(check: string): number {
  return REPORT_MAX_BYTES_BY_CHECK[check] ?? REPORT_MAX_BYTES;
}

const isoTime = z.iso.datetime({ offset: true });

const reportBase = {
  v: z.literal(1),
  reportId: z.string().regex(ULID_PATTERN),
  deviceId: z.string().regex(THING_NAME_PATTERN),
  trigger: z.enum(TRIGGERS),
  /** The cycle this run belongs to, when a cycle started it. */
  cycleId: z.string().min(1).max(128).optional(),
  startedAt: isoTime,
  finishedAt: isoTime,
  verdict: z.enum(VERDICTS),
  findings: z.array(findingSchema).max(50),
};

/** Checks whose data schema is not pinned down yet carry a plain object. */
const looseData = z.record(z.string(), z.unknown());

export const reportSchema = z.discriminatedUnion('check', [
  z
    .object({
      ...reportBase,
      check: z.literal('disk-space'),
      data: diskSpaceDataSchema,
    })
    .strict(),
  ...CHECK_KINDS.filter((c) => c !== 'disk-space').map((check) =>
    z
      .object({ ...reportBase, check: z.literal(check), data: looseData })
      .strict(),
  ),
]);

export type Report = z.infer<typeof reportSchema>;
