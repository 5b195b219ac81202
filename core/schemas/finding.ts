import * as z from 'zod';
import { SEVERITIES } from '../verdict.js';

/** A stable finding code: lower-case words joined by dots or dashes. */
export const FINDING_CODE_PATTERN = /^[a-z0-9]+([.-][a-z0-9]+)*$/;

/** One thing a check found wrong, keyed by a catalogue code. */
export const findingSchema = z
  .object({
    code: z.string().regex(FINDING_CODE_PATTERN).max(64),
    severity: z.enum(SEVERITIES),
    /** What the finding is about (a mount, a drive serial, a KB). */
    subject: z.string().min(1).max(256),
    title: z.string().min(1).max(200),
    /** Windows HRESULT as 0x plus 8 upper-case hex digits. */
    hresult: z
      .string()
      .regex(/^0x[0-9A-F]{8}$/)
      .optional(),
    detail: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export type Finding = z.infer<typeof findingSchema>;
