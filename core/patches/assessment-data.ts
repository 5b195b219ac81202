import * as z from 'zod';
import type { UpdateFacts } from './approval.js';

/**
 * The missing updates a patch-assessment report carries in
 * `data.updates`, short keys to keep the report small: `id` (KB or
 * package), `sec` security, `cls` classification, `sev` MSRC severity,
 * `rel` release date (YYYY-MM-DD). The cloud approves from this list with
 * the same model as the agent (approval.ts); the agent lists the updates it
 * approves first, so a cut list loses the others first.
 */
export const reportedUpdateSchema = z
  .object({
    id: z.string().min(1).max(64),
    sec: z.boolean(),
    cls: z.string().max(40).optional(),
    sev: z.string().max(16).optional(),
    rel: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
  })
  .strict();

export type ReportedUpdate = z.infer<typeof reportedUpdateSchema>;

/**
 * Updates listed in one report. An entry is 30 to 60 bytes on apt and 90 to
 * 110 on Windows (id, classification, rating, day; measured in
 * agent/checks/patches/judge.test.ts), so 400 stay within the
 * patch-assessment report's budget (core/schemas/report.ts); the agent's
 * `missing` and `approved` counts always cover the updates past the list.
 */
export const MAX_REPORTED_UPDATES = 400;

export function toReported(update: UpdateFacts): ReportedUpdate {
  const released = update.releasedAt?.slice(0, 10);
  return {
    id: update.id.slice(0, 64),
    sec: update.security,
    ...(update.classification
      ? { cls: update.classification.slice(0, 40) }
      : {}),
    ...(update.severity ? { sev: update.severity.slice(0, 16) } : {}),
    ...(released && /^\d{4}-\d{2}-\d{2}$/.test(released)
      ? { rel: released }
      : {}),
  };
}

export function fromReported(update: ReportedUpdate): UpdateFacts {
  return {
    id: update.id,
    security: update.sec,
    ...(update.cls ? { classification: update.cls } : {}),
    ...(update.sev ? { severity: update.sev } : {}),
    ...(update.rel ? { releasedAt: `${update.rel}T00:00:00Z` } : {}),
  };
}

/**
 * The updates of a stored report's data; entries that do not parse are
 * left out (an older agent's report has none: an empty list).
 */
export function reportedUpdates(data: unknown): UpdateFacts[] {
  const list = (data as { updates?: unknown } | undefined)?.updates;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry) => {
    const parsed = reportedUpdateSchema.safeParse(entry);
    return parsed.success ? [fromReported(parsed.data)] : [];
  });
}

/**
 * The agent's own counts from a stored report's data: `missing` (every
 * update the search found) and `approved` (by the device's policy, without
 * the cloud's emergency approvals). Null where the report has none.
 */
export interface ReportedTotals {
  missing: number | null;
  approved: number | null;
  /** Entries in `updates`. */
  listed: number;
}

export function reportedTotals(data: unknown): ReportedTotals {
  const d = (data ?? {}) as Record<string, unknown>;
  const count = (v: unknown) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
  return {
    missing: count(d.missing),
    approved: count(d.approved),
    listed: Array.isArray(d.updates) ? d.updates.length : 0,
  };
}

/** The list left updates out: the counts are larger than it. */
export function isTruncated(totals: ReportedTotals) {
  return totals.missing !== null && totals.missing > totals.listed;
}
