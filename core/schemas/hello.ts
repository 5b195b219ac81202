import * as z from 'zod';
import { CHECK_KINDS } from '../checks.js';
import { THING_NAME_PATTERN } from '../topics.js';

const isoTime = z.iso.datetime({ offset: true });

/** Sent by the agent on every connect (DESIGN §4). */
export const helloSchema = z
  .object({
    v: z.literal(1),
    deviceId: z.string().regex(THING_NAME_PATTERN),
    sentAt: isoTime,
    agentVersion: z.string().min(1).max(32),
    os: z
      .object({
        platform: z.enum(['linux', 'win32', 'darwin']),
        release: z.string().max(128),
        arch: z.string().max(16),
        hostname: z.string().max(255),
      })
      .strict(),
    capabilities: z.array(z.enum(CHECK_KINDS)).max(CHECK_KINDS.length),
    securityProducts: z
      .array(
        z
          .object({
            name: z.string().max(128),
            kind: z.enum(['antivirus', 'antispyware', 'firewall']),
          })
          .strict(),
      )
      .max(16),
    policyVersion: z.number().int().nonnegative().optional(),
    /** Last finish time of each cycle kind this agent ran. */
    lastRuns: z.record(z.string().max(32), isoTime),
  })
  .strict();

export type Hello = z.infer<typeof helloSchema>;
