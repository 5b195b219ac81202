import * as z from 'zod';
import { CHECK_KINDS, TRIGGERS } from '../checks.js';
import { FINDING_STATUSES } from '../scoring/lifecycle.js';
import { SEVERITIES, VERDICTS } from '../verdict.js';
import { findingSchema } from './finding.js';
import { helloSchema } from './hello.js';

/**
 * The bodies of the HTTP API (docs/api.md). docs/openapi.json is generated
 * from these schemas (scripts/openapi.ts), and the contract tests check
 * every real response against that document, so a field the handler sends
 * must be declared here: every response object is strict.
 */
const isoTime = z.iso.datetime({ offset: true });
const anyObject = z.record(z.string(), z.unknown());

/** `{error: {code, message}}`: every error the api function answers. */
export const apiErrorSchema = z.strictObject({
  error: z.strictObject({
    /** Stable, kebab-case; safe to match on. */
    code: z.string().regex(/^[a-z0-9-]+$/),
    message: z.string(),
    /** Which field or path the error is about, when there is one. */
    path: z.string().optional(),
    /** Schema issues of a bad query or body. */
    issues: z
      .array(z.strictObject({ path: z.string(), message: z.string() }))
      .optional(),
  }),
});

/** What API Gateway itself answers (401 from the authorizer, 404, 5xx). */
export const gatewayErrorSchema = z.strictObject({ message: z.string() });

export const volumeSchema = z.strictObject({
  id: z.string(),
  mount: z.string().nullable(),
  role: z.string(),
  totalBytes: z.number(),
  freeBytes: z.number(),
  availableBytes: z.number(),
});

export const PRESENCE_STATES = [
  'online',
  'clean-shutdown',
  'connection-lost',
  'unknown',
] as const;

export const deviceSummarySchema = z.strictObject({
  deviceId: z.string(),
  clientId: z.string(),
  siteId: z.string().nullable(),
  registeredAt: isoTime,
  lastSeenAt: isoTime.nullable(),
  agentVersion: z.string().nullable(),
  platform: z.string().nullable(),
  hostname: z.string().nullable(),
  volumes: z.array(volumeSchema),
  /** The worst severity among its unresolved findings; `ok` with none. */
  verdict: z.enum(VERDICTS),
  presence: z.enum(PRESENCE_STATES),
  /** Since when the presence holds, when known. */
  presenceSince: isoTime.nullable(),
  /** Not online: shut down, lost, or never heard from. */
  away: z.boolean(),
});

export const deviceListSchema = z.strictObject({
  devices: z.array(deviceSummarySchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});

export const checkViewSchema = z.strictObject({
  check: z.enum(CHECK_KINDS),
  reportId: z.string(),
  verdict: z.enum(VERDICTS),
  trigger: z.enum(TRIGGERS),
  cycleId: z.string().nullable(),
  startedAt: isoTime,
  finishedAt: isoTime,
  receivedAt: isoTime,
  findingCount: z.number().int(),
  data: anyObject,
});

export const attemptViewSchema = z.strictObject({
  jobId: z.string(),
  occurrence: z.number().int(),
  attempt: z.number().int(),
  product: z.string(),
  remedy: z.string(),
  params: anyObject,
  issuedAt: isoTime,
  jobStatus: z.string().nullable(),
  outcome: z.string().nullable(),
  closedAt: isoTime.nullable(),
});

export const findingViewSchema = z.strictObject({
  /** Opaque id of the finding for the finding routes. */
  findingId: z.string(),
  deviceId: z.string(),
  clientId: z.string(),
  code: z.string(),
  subject: z.string(),
  check: z.enum(CHECK_KINDS),
  severity: z.enum(SEVERITIES),
  title: z.string(),
  status: z.enum(FINDING_STATUSES),
  hresult: z.string().nullable(),
  detail: anyObject.nullable(),
  firstSeenAt: isoTime,
  lastSeenAt: isoTime,
  occurrences: z.number().int(),
  lastReportId: z.string(),
  priority: z
    .strictObject({ score: z.number(), band: z.string(), scoredAt: isoTime })
    .nullable(),
  /** Remedy jobs of this finding: ended ones, then the one in flight. */
  attempts: z.array(attemptViewSchema),
  acknowledgement: z
    .strictObject({ by: z.string(), at: isoTime, note: z.string().nullable() })
    .nullable(),
  suppression: z
    .strictObject({
      by: z.string(),
      at: isoTime,
      reason: z.string(),
      expiresAt: isoTime,
    })
    .nullable(),
});

export const deviceDetailSchema = z.strictObject({
  device: z.strictObject({
    ...deviceSummarySchema.shape,
    hello: helloSchema.omit({ v: true, deviceId: true }).nullable(),
  }),
  checks: z.array(checkViewSchema),
  findings: z.array(findingViewSchema),
});

export const historyEntrySchema = z.strictObject({
  reportId: z.string(),
  check: z.enum(CHECK_KINDS),
  trigger: z.enum(TRIGGERS),
  cycleId: z.string().nullable(),
  startedAt: isoTime,
  finishedAt: isoTime,
  receivedAt: isoTime,
  verdict: z.enum(VERDICTS),
  findings: z.array(findingSchema),
  data: anyObject,
});

export const historyListSchema = z.strictObject({
  reports: z.array(historyEntrySchema),
  nextCursor: z.string().nullable(),
});

export const findingListSchema = z.strictObject({
  findings: z.array(findingViewSchema),
  nextCursor: z.string().nullable(),
});

export const findingDetailSchema = z.strictObject({
  finding: findingViewSchema,
});

export const acknowledgeBodySchema = z.strictObject({
  note: z.string().min(1).max(1000).optional(),
});

export const suppressBodySchema = z.strictObject({
  /** Why nobody should act on it; shown to every technician. */
  reason: z.string().min(1).max(1000),
  /** When the suppression ends and the finding is open again. */
  expiresAt: isoTime,
});

export const siteSchema = z.strictObject({
  siteId: z.string(),
  clientId: z.string(),
  updatedAt: isoTime.nullable(),
  deviceCount: z.number().int(),
});

export const clientSchema = z.strictObject({
  clientId: z.string(),
  createdAt: isoTime,
  deviceCount: z.number().int(),
  siteCount: z.number().int(),
});

export const clientListSchema = z.strictObject({
  clients: z.array(clientSchema),
});

export const clientDetailSchema = z.strictObject({
  client: clientSchema,
  sites: z.array(siteSchema),
});

export const siteListSchema = z.strictObject({ sites: z.array(siteSchema) });
export const siteDetailSchema = z.strictObject({
  site: siteSchema,
  devices: z.array(z.string()),
});
