import { UpkeepLambdaError } from './errors.js';
import type { SigningSecretSource } from './remedy-config.js';

/**
 * Reads the signing secret once per container. In AWS it comes from the
 * AWS Parameters and Secrets Lambda extension, which serves Secrets Manager
 * on localhost:2773 and caches it, so no Secrets Manager client is bundled
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/
 * retrieving-secrets_lambda.html).
 */
export const signingSecretDefaults = {
  /** Where the extension listens inside the Lambda sandbox. */
  extensionUrl: 'http://localhost:2773',
  /** The extension answers from its cache; a slow answer is a fault, ms. */
  timeoutMs: 3000,
} as const;

export class SigningSecretError extends UpkeepLambdaError {
  constructor(message: string, options?: ErrorOptions) {
    super('signing-secret-unavailable', message, options);
    this.name = 'SigningSecretError';
  }
}

export interface ReadSecretOptions {
  /** @default signingSecretDefaults.extensionUrl */
  extensionUrl?: string;
  /** The extension's token. @default process.env.AWS_SESSION_TOKEN */
  sessionToken?: string;
}

export async function readSigningSecret(
  source: SigningSecretSource,
  options: ReadSecretOptions = {},
): Promise<string> {
  if (source.kind === 'value') return source.value;

  const base = options.extensionUrl ?? signingSecretDefaults.extensionUrl;
  const url = `${base}/secretsmanager/get?secretId=${encodeURIComponent(source.secretId)}`;
  const token = options.sessionToken ?? process.env.AWS_SESSION_TOKEN ?? '';
  const response = await fetch(url, {
    headers: { 'X-Aws-Parameters-Secrets-Token': token },
    signal: AbortSignal.timeout(signingSecretDefaults.timeoutMs),
  }).catch((cause: unknown) => {
    throw new SigningSecretError('the secrets extension did not answer', {
      cause,
    });
  });
  if (!response.ok) {
    throw new SigningSecretError(
      `the secrets extension answered ${response.status} for ` +
        `${source.secretId}`,
    );
  }
  const body = (await response.json()) as { SecretString?: unknown };
  if (typeof body.SecretString !== 'string') {
    throw new SigningSecretError(`${source.secretId} has no SecretString`);
  }
  return body.SecretString;
}
