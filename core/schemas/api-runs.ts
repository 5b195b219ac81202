import * as z from 'zod';
import { CHECK_KINDS } from '../checks.js';
import { CYCLES } from '../cycles.js';
import { REMEDY_NAMES } from '../remedies.js';

/**
 * On-demand maintenance (docs/api.md): a cycle or an allow-listed remedy
 * on one device or a group, sent as signed IoT Jobs, and the run that
 * tracks them.
 */
const isoTime = z.iso.datetime({ offset: true });
const CYCLE_KINDS = CYCLES.map((c) => c.kind) as [string, ...string[]];

export const runTargetSchema = z.union([
  z.strictObject({ deviceId: z.string().min(1).max(128) }),
  z.strictObject({
    clientId: z.string().min(1).max(128),
    /** Only the devices of this site. */
    siteId: z.string().min(1).max(128).optional(),
  }),
]);

export const runActionSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('cycle'),
    /** Every check of the cycle runs again (remedy `rerun-check`). */
    cycle: z.enum(CYCLE_KINDS),
  }),
  z.strictObject({
    kind: z.literal('remedy'),
    remedy: z.enum(REMEDY_NAMES as [string, ...string[]]),
    /** Checked against the remedy's schema (core/remedies.ts); {} if absent. */
    params: z.record(z.string(), z.unknown()).optional(),
    /** The check whose fresh report proves the remedy worked. */
    recheck: z.enum(CHECK_KINDS).optional(),
  }),
]);

export const runRequestSchema = z.strictObject({
  target: runTargetSchema,
  action: runActionSchema,
});

export const RUN_STATUSES = [
  'queued',
  'in-progress',
  'succeeded',
  'failed',
] as const;

export const runJobSchema = z.strictObject({
  jobId: z.string(),
  deviceId: z.string(),
  remedy: z.string(),
  check: z.enum(CHECK_KINDS).nullable(),
  /** The IoT job execution status, e.g. QUEUED, SUCCEEDED, REJECTED. */
  status: z.string(),
  statusDetails: z.record(z.string(), z.string()).nullable(),
});

export const runSkipSchema = z.strictObject({
  deviceId: z.string(),
  /** Stable: `platform-unknown`, `not-on-platform`, `check-unavailable`. */
  reason: z.string(),
});

export const runSchema = z.strictObject({
  runId: z.string(),
  clientId: z.string(),
  createdAt: isoTime,
  createdBy: z.string(),
  target: runTargetSchema,
  action: z.strictObject({
    kind: z.enum(['cycle', 'remedy']),
    cycle: z.string().optional(),
    remedy: z.string().optional(),
    params: z.record(z.string(), z.unknown()).optional(),
    recheck: z.enum(CHECK_KINDS).optional(),
  }),
  status: z.enum(RUN_STATUSES),
  jobs: z.array(runJobSchema),
  skipped: z.array(runSkipSchema),
});
