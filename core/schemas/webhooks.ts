import * as z from 'zod';
import { EVENT_TYPES } from '../events.js';

/** The API's webhook subscription bodies and answers (docs/events.md). */
const isoTime = z.iso.datetime({ offset: true });

export const createWebhookBodySchema = z.strictObject({
  /** https in AWS; http(s)://127.0.0.1 or [::1] in local mode. */
  url: z.string().min(1).max(2048),
  eventTypes: z.array(z.enum(EVENT_TYPES)).min(1).max(EVENT_TYPES.length),
  /** An MSP token may make a subscription for one client; omitted, MSP-wide. */
  clientId: z.string().min(1).max(128).optional(),
});

export const webhookSchema = z.strictObject({
  id: z.string(),
  /** null: MSP-wide, every client's events. */
  clientId: z.string().nullable(),
  url: z.string(),
  eventTypes: z.array(z.enum(EVENT_TYPES)),
  createdAt: isoTime,
  rotatedAt: isoTime.nullable(),
});

export const webhookWithSecretSchema = z.strictObject({
  webhook: webhookSchema,
  /** Shown once; sign-check deliveries with it (docs/events.md). */
  secret: z.string(),
});

export const webhookListSchema = z.strictObject({
  webhooks: z.array(webhookSchema),
});

export const webhookDetailSchema = z.strictObject({ webhook: webhookSchema });

export const deliveryAttemptSchema = z.strictObject({
  subscriptionId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  attempt: z.number().int().positive(),
  at: isoTime,
  result: z.enum(['delivered', 'retrying', 'rejected', 'dead-lettered']),
  status: z.number().int().nullable(),
  latencyMs: z.number().nonnegative(),
  error: z.string().nullable(),
  nextAttemptAt: isoTime.nullable(),
});

export const deliveryListSchema = z.strictObject({
  deliveries: z.array(deliveryAttemptSchema),
});

export const webhookListQuerySchema = z.strictObject({
  clientId: z.string().min(1).max(128).optional(),
});
