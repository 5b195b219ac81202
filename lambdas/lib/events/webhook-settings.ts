import { type Env, optional } from '../config.js';
import { ConfigError } from '../errors.js';
import type { SigningSecretSource } from '../remedy-config.js';

/**
 * What any function that touches webhook subscriptions needs (the API and
 * the webhooks function), read from the environment:
 *   WEBHOOK_KEY_SECRET_ID   Secrets Manager id of the master secret that
 *                           seals subscription secrets (AWS), or
 *   WEBHOOK_KEY_SECRET      the master secret itself (local mode)
 *   WEBHOOK_URL_MODE        aws (https only, the default) | local
 * Without either secret variable there are no webhooks (undefined).
 */
export type UrlMode = 'aws' | 'local';

export interface WebhookSettings {
  keySecret: SigningSecretSource;
  urlMode: UrlMode;
}

export function readWebhookSettings(env: Env): WebhookSettings | undefined {
  const secretId = optional(env, 'WEBHOOK_KEY_SECRET_ID');
  const value = optional(env, 'WEBHOOK_KEY_SECRET');
  if (!secretId && !value) return undefined;

  const mode = optional(env, 'WEBHOOK_URL_MODE') ?? 'aws';
  if (mode !== 'aws' && mode !== 'local') {
    throw new ConfigError(
      'invalid-variable',
      'WEBHOOK_URL_MODE',
      `WEBHOOK_URL_MODE must be aws or local, got "${mode}"`,
    );
  }
  return {
    keySecret: value
      ? { kind: 'value', value }
      : { kind: 'secrets-manager', secretId: secretId as string },
    urlMode: mode,
  };
}
