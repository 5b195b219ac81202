import * as z from 'zod';
import { CHECK_KINDS } from '../checks.js';
import { FINDING_CODE_PATTERN } from './finding.js';

/**
 * The document of a remedy job (IoT Jobs). AWS does not check what a job
 * asks a device to do, so the agent checks it: the remedy must be on its
 * allow-list (core/remedies.ts), the parameters must pass that remedy's
 * schema, and the signature must verify with the deployment's public key.
 *
 * The signature covers `canonicalJobPayload(document)`: the document without
 * `signature`, serialised with keys sorted at every level.
 */
export const jobSignatureSchema = z
  .object({
    alg: z.literal('ed25519'),
    /** Which deployment key signed it, so keys can be rotated. */
    keyId: z.string().min(1).max(64),
    /** base64 of the 64-byte Ed25519 signature. */
    value: z.string().min(1).max(128),
  })
  .strict();

export const jobDocumentSchema = z
  .object({
    v: z.literal(1),
    /** The device the job was made for; the agent refuses any other. */
    deviceId: z.string().min(1).max(128),
    /**
     * A job for many devices (a patch deployment ring): the devices it was
     * made for, signed with the rest; `deviceId` then names the group.
     */
    devices: z.array(z.string().min(1).max(128)).min(1).max(100).optional(),
    remedy: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .max(64),
    params: z.record(z.string(), z.unknown()),
    finding: z
      .object({
        code: z.string().regex(FINDING_CODE_PATTERN).max(64),
        subject: z.string().min(1).max(256),
      })
      .strict()
      .optional(),
    /** 1 for the first step of a chain; grows with each escalation. */
    attempt: z.number().int().min(1).max(20),
    /** The check whose fresh report proves the remedy worked. */
    recheck: z.enum(CHECK_KINDS).optional(),
    issuedAt: z.iso.datetime({ offset: true }),
    /** The agent refuses a document past this time. */
    expiresAt: z.iso.datetime({ offset: true }),
    signature: jobSignatureSchema,
  })
  .strict();

export type JobDocument = z.infer<typeof jobDocumentSchema>;
export type UnsignedJobDocument = Omit<JobDocument, 'signature'>;

/** Keys sorted at every level, no white space: the bytes that are signed. */
export function canonicalJobPayload(document: UnsignedJobDocument): string {
  return JSON.stringify(sortKeys(document));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;

  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}
