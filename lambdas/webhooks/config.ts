import {
  type CommonConfig,
  type Env,
  optional,
  positiveInt,
  readCommon,
  required,
} from '../lib/config.js';
import { ConfigError } from '../lib/errors.js';
import type { SigningSecretSource } from '../lib/remedy-config.js';
import type { UrlMode } from './url-policy.js';

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

export interface WebhookSettings {
  keySecret: SigningSecretSource;
  urlMode: UrlMode;
}

export interface WebhooksConfig extends CommonConfig, WebhookSettings {
  queueUrl: string;
  deadLetterQueueUrl: string;
  maxAttempts: number;
  backoffBaseSeconds: number;
  backoffCapSeconds: number;
  timeoutMs: number;
}

/** What the API needs to manage subscriptions. */
export function readWebhookSettings(env: Env): WebhookSettings {
  const secretId = optional(env, 'WEBHOOK_KEY_SECRET_ID');
  const value = optional(env, 'WEBHOOK_KEY_SECRET');
  if (!secretId && !value) {
    throw new ConfigError(
      'missing-variable',
      'WEBHOOK_KEY_SECRET_ID',
      'environment variable WEBHOOK_KEY_SECRET_ID (or WEBHOOK_KEY_SECRET) ' +
        'is required',
    );
  }
  const mode = optional(env, 'WEBHOOK_URL_MODE') ?? 'aws';
  if (mode !== 'aws' && mode !== 'local') {
    throw new ConfigError(
      'invalid-variable',
      'WEBHOOK_URL_MODE',
      `WEBHOOK_URL_MODE must be aws or local, got "${mode}"`,
    );
  }
  return {
    keySecret: secretId
      ? { kind: 'secrets-manager', secretId }
      : { kind: 'value', value: value as string },
    urlMode: mode,
  };
}

export function readWebhooksConfig(env: Env = process.env): WebhooksConfig {
  const d = webhookDefaults;
  return {
    ...readCommon(env, 'upkeep-webhooks'),
    ...readWebhookSettings(env),
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
