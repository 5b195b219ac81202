import {
  type CommonConfig,
  type Env,
  positiveInt,
  readCommon,
  required,
} from '../lib/config.js';
import { ConfigError } from '../lib/errors.js';
import {
  readWebhookSettings,
  type WebhookSettings,
} from '../lib/events/webhook-settings.js';

/**
 * The webhooks function (and the API routes that manage subscriptions):
 *   WEBHOOK_QUEUE_URL              deliveries and the bus rule's events
 *   WEBHOOK_DEAD_LETTER_QUEUE_URL  deliveries that ran out of attempts
 *   WEBHOOK_KEY_SECRET_ID          Secrets Manager id of the master secret
 *                                  that seals subscription secrets, or
 *   WEBHOOK_KEY_SECRET             the master secret itself (local mode)
 *   WEBHOOK_URL_MODE               aws (https only, default) | local
 *   WEBHOOK_MAX_ATTEMPTS           attempts before dead-letter (default 8)
 *   WEBHOOK_BACKOFF_BASE_SECONDS   first retry delay (default 30)
 *   WEBHOOK_BACKOFF_CAP_SECONDS    longest retry delay (default 6 h)
 *   WEBHOOK_TIMEOUT_MS             one POST's deadline (default 10 s)
 */
export const webhookDefaults = {
  maxAttempts: 8,
  backoffBaseSeconds: 30,
  backoffCapSeconds: 6 * 3600,
  timeoutMs: 10_000,
} as const;

export interface WebhooksConfig extends CommonConfig, WebhookSettings {
  queueUrl: string;
  deadLetterQueueUrl: string;
  maxAttempts: number;
  backoffBaseSeconds: number;
  backoffCapSeconds: number;
  timeoutMs: number;
}

export function readWebhooksConfig(env: Env = process.env): WebhooksConfig {
  const d = webhookDefaults;
  return {
    ...readCommon(env, 'upkeep-webhooks'),
    ...requiredSettings(env),
    queueUrl: required(env, 'WEBHOOK_QUEUE_URL'),
    deadLetterQueueUrl: required(env, 'WEBHOOK_DEAD_LETTER_QUEUE_URL'),
    maxAttempts: positiveInt(env, 'WEBHOOK_MAX_ATTEMPTS', d.maxAttempts),
    backoffBaseSeconds: positiveInt(
      env,
      'WEBHOOK_BACKOFF_BASE_SECONDS',
      d.backoffBaseSeconds,
    ),
    backoffCapSeconds: positiveInt(
      env,
      'WEBHOOK_BACKOFF_CAP_SECONDS',
      d.backoffCapSeconds,
    ),
    timeoutMs: positiveInt(env, 'WEBHOOK_TIMEOUT_MS', d.timeoutMs),
  };
}

function requiredSettings(env: Env): WebhookSettings {
  const settings = readWebhookSettings(env);
  if (!settings) {
    throw new ConfigError(
      'missing-variable',
      'WEBHOOK_KEY_SECRET_ID',
      'environment variable WEBHOOK_KEY_SECRET_ID (or WEBHOOK_KEY_SECRET) ' +
        'is required',
    );
  }
  return settings;
}
