import type { UrlMode } from '../lib/events/webhook-settings.js';
import { WebhookError } from './errors.js';

/**
 * Where a webhook may point. In AWS only https, and never a literal
 * loopback, private or link-local address (the instance metadata service
 * among them). Locally only http(s) to 127.0.0.1 or [::1]: the local stack
 * and its tests aim at nothing beyond this machine.
 *
 * Known limitation: a public host name that resolves to a private address
 * is not caught here; in AWS the function runs outside any VPC, so it can
 * reach only what the internet can.
 */

const LOCAL_HOSTS = new Set(['127.0.0.1', '[::1]']);
const PRIVATE_HOST = new RegExp(
  [
    '^(localhost|127\\.|10\\.|0\\.|169\\.254\\.|192\\.168\\.',
    '|172\\.(1[6-9]|2\\d|3[01])\\.|\\[(::1?|f[cd]|fe80))',
  ].join(''),
  'i',
);

export function checkWebhookUrl(raw: unknown, mode: UrlMode): URL {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    throw new WebhookError(400, 'invalid-url', `"${raw}" is not a URL`);
  }
  if (url.username || url.password) {
    throw new WebhookError(
      400,
      'invalid-url',
      'a URL with credentials is refused',
    );
  }

  if (mode === 'local') {
    if (
      !['http:', 'https:'].includes(url.protocol) ||
      !LOCAL_HOSTS.has(url.hostname)
    ) {
      throw new WebhookError(
        400,
        'url-not-allowed',
        `local mode delivers only to http(s)://127.0.0.1 or [::1], got ${url.origin}`,
      );
    }
    return url;
  }
  if (url.protocol !== 'https:') {
    throw new WebhookError(
      400,
      'url-not-allowed',
      `webhooks must use https, got ${url.protocol}`,
    );
  }
  if (PRIVATE_HOST.test(url.hostname)) {
    throw new WebhookError(
      400,
      'url-not-allowed',
      `webhooks may not target a private or loopback address, got ${url.hostname}`,
    );
  }
  return url;
}
