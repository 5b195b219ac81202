import * as z from 'zod';

/**
 * The bodies of Patch Doctor's API routes (lambdas/api/patches-routes.ts),
 * strict like every response of the API (core/schemas/api.ts): the
 * OpenAPI document is generated from them.
 */
const isoTime = z.iso.datetime({ offset: true });
const count = z.number().int().min(0);

export const missingBySeveritySchema = z.strictObject({
  critical: count,
  important: count,
  moderate: count,
  low: count,
  unrated: count,
  total: count,
});

export const deviceComplianceSchema = z.strictObject({
  thingName: z.string(),
  clientId: z.string(),
  missingApproved: missingBySeveritySchema,
  /** The report listed fewer updates than it counted: a lower bound. */
  partial: z.boolean(),
  failed: count,
  pendingReboot: z.boolean().nullable(),
  lastAssessmentAt: isoTime.nullable(),
  lastGoodAssessmentAt: isoTime.nullable(),
  compliant: z.boolean(),
});

export const clientComplianceSchema = z.strictObject({
  summary: z.strictObject({
    clientId: z.string(),
    devices: count,
    compliant: count,
    missingApproved: missingBySeveritySchema,
    /** Devices whose figure is partial. */
    partial: count,
    failed: count,
    pendingReboot: count,
    neverAssessed: count,
  }),
  devices: z.array(deviceComplianceSchema),
  /** This month's deployment wave, or null before its first plan. */
  wave: z
    .strictObject({
      wave: z.string(),
      state: z.enum(['pilot', 'broad', 'halted']),
      decision: z.string().nullable(),
      failurePercent: z.number().nullable(),
      decidedAt: isoTime.nullable(),
    })
    .nullable(),
});

/** A KB (Windows) or a Debian package (apt). */
export const updateIdSchema = z
  .string()
  .regex(/^(KB[0-9]{6,8}|[a-z0-9][a-z0-9+.-]+)$/i)
  .max(100);

export const emergencyApprovalSchema = z.strictObject({
  clientId: z.string(),
  id: updateIdSchema,
  approvedAt: isoTime,
  expiresAt: isoTime,
  approvedBy: z.string().optional(),
  reason: z.string().optional(),
});

export const emergencyApprovalRequestSchema = z.strictObject({
  id: updateIdSchema,
  /** How long the approval holds, hours (1 to 30 days). */
  hours: z.number().int().min(1).max(720),
  reason: z.string().max(500).optional(),
});

export const emergencyApprovalListSchema = z.strictObject({
  approvals: z.array(emergencyApprovalSchema),
});
