import * as z from 'zod';
import { FINDING_CODE_PATTERN } from '../schemas/finding.js';
import { SEVERITIES } from '../verdict.js';

/** Remedy names the agent's allow-list knows (issue 4 adds the rest). */
export const remedyStepSchema = z
  .object({
    remedy: z.string().regex(/^[a-z0-9-]+$/),
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

/**
 * One catalogue entry: what a finding code means, how bad it is by default,
 * where the vendor documents it, and the ordered remedy chain per product
 * (`any` applies whatever the client runs).
 */
export const catalogueEntrySchema = z
  .object({
    code: z.string().regex(FINDING_CODE_PATTERN),
    title: z.string().min(1).max(120),
    meaning: z.string().min(1),
    severity: z.enum(SEVERITIES),
    /** A vendor URL, or a docs/ path for the agent's own codes. */
    source: z.string().min(1),
    hresult: z
      .string()
      .regex(/^0x[0-9A-F]{8}$/)
      .optional(),
    remedies: z.record(z.string(), z.array(remedyStepSchema)),
  })
  .strict();

export type CatalogueEntry = z.infer<typeof catalogueEntrySchema>;
