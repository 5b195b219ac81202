import * as z from 'zod';
import { FINDING_CODE_PATTERN } from './schemas/finding.js';
import { ULID_PATTERN } from './ulid.js';
import { SEVERITIES } from './verdict.js';

/**
 * The events Upkeep publishes for PSA and RMM tools (docs/events.md). The
 * same detail travels as an EventBridge event (`source` EVENT_SOURCE,
 * `detail-type` the event type) and as a webhook body. `version` is the
 * schema version of the detail: a field is only ever added within a
 * version; a removal or a change of meaning makes version 2.
 */
export const EVENT_SOURCE = 'upkeep';
export const EVENT_SCHEMA_VERSION = 1;

export const EVENT_TYPES = [
  'finding.opened',
  'finding.escalated',
  'finding.resolved',
  'device.missed-maintenance',
  'patch.remediation-exhausted',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** Why a finding.escalated was sent. */
export const ESCALATION_REASONS = [
  /** It resolved and came back within the flapping window. */
  'flapping',
  /** The remedy loop handed it to a human (chain end, alert-only…). */
  'remedy-loop',
] as const;

/** Why a finding.resolved was sent. */
export const RESOLUTION_REASONS = [
  /** A report or the sweep no longer sees it. */
  'gone',
  /** A flapping finding stayed away for the whole window. */
  'stable',
] as const;

const isoTime = z.iso.datetime({ offset: true });
const ulid = z.string().regex(ULID_PATTERN);

/** One remedy that was tried: what ran and how it ended. */
export const remedyAttemptSchema = z
  .object({
    remedy: z.string().min(1).max(100),
    jobId: z.string().min(1).max(64),
    attempt: z.number().int().positive(),
    outcome: z.string().min(1).max(32),
    issuedAt: isoTime,
    closedAt: isoTime.optional(),
  })
  .strict();

export const eventFindingSchema = z
  .object({
    code: z.string().regex(FINDING_CODE_PATTERN).max(64),
    subject: z.string().min(1).max(256),
    severity: z.enum(SEVERITIES),
    title: z.string().min(1).max(200),
    check: z.string().min(1).max(64),
    hresult: z
      .string()
      .regex(/^0x[0-9A-F]{8}$/)
      .optional(),
  })
  .strict();

const common = {
  version: z.literal(EVENT_SCHEMA_VERSION),
  /** ULID; the same transition always has the same id (deduplicate on it). */
  id: ulid,
  occurredAt: isoTime,
  /** The tenant. */
  clientId: z.string().min(1).max(128),
  device: z.object({ thingName: z.string().min(1).max(128) }).strict(),
  /** The event that opened the ticket this one belongs to. */
  ticketId: ulid,
  finding: eventFindingSchema,
  /** What was tried, oldest first; empty where nothing was. */
  attempts: z.array(remedyAttemptSchema).max(50),
};

export const findingOpenedSchema = z
  .object({ ...common, type: z.literal('finding.opened') })
  .strict();

export const findingEscalatedSchema = z
  .object({
    ...common,
    type: z.literal('finding.escalated'),
    reason: z.enum(ESCALATION_REASONS),
    /** The remedy loop's own reason (chain-exhausted, alert-only…). */
    detail: z.string().max(200).optional(),
    /** For `flapping`: when it last resolved and the window, seconds. */
    flapping: z
      .object({
        resolvedAt: isoTime,
        reopenedAt: isoTime,
        windowSeconds: z.number().int().positive(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const findingResolvedSchema = z
  .object({
    ...common,
    type: z.literal('finding.resolved'),
    reason: z.enum(RESOLUTION_REASONS),
  })
  .strict();

/** A cycle kind a device did not run in its window (the sweep). */
export const deviceMissedMaintenanceSchema = z
  .object({
    ...common,
    type: z.literal('device.missed-maintenance'),
    /** The cycle kind that was missed. */
    kind: z.string().min(1).max(64),
  })
  .strict();

/** Patch Doctor ran every remedy for an update failure; a human must act. */
export const patchRemediationExhaustedSchema = z
  .object({
    ...common,
    type: z.literal('patch.remediation-exhausted'),
    /** The update that would not install, when known (KB number). */
    kb: z
      .string()
      .regex(/^KB\d{5,8}$/)
      .optional(),
  })
  .strict();

export const upkeepEventSchema = z.discriminatedUnion('type', [
  findingOpenedSchema,
  findingEscalatedSchema,
  findingResolvedSchema,
  deviceMissedMaintenanceSchema,
  patchRemediationExhaustedSchema,
]);

export type UpkeepEvent = z.infer<typeof upkeepEventSchema>;
export type RemedyAttemptSummary = z.infer<typeof remedyAttemptSchema>;
export type EventFinding = z.infer<typeof eventFindingSchema>;
export type EventOf<T extends EventType> = Extract<UpkeepEvent, { type: T }>;

/** Parses an event detail; throws a ZodError naming the bad field. */
export function parseUpkeepEvent(input: unknown): UpkeepEvent {
  return upkeepEventSchema.parse(input);
}

/**
 * The pattern of the rule that feeds webhook deliveries: every Upkeep
 * event. infra deploys it and the local bus applies it.
 */
export const WEBHOOK_RULE_PATTERN = {
  source: [EVENT_SOURCE],
  'detail-type': [...EVENT_TYPES],
};
