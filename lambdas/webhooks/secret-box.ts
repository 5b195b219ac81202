import {
  createCipheriv,
  createDecipheriv,
  hkdfSync,
  randomBytes,
} from 'node:crypto';

/**
 * Webhook secrets at rest: AES-256-GCM under a key derived (HKDF-SHA256)
 * from the deployment's webhook master secret, which Secrets Manager
 * generates in AWS and the state folder keeps locally. The subscription id
 * is the additional data, so a ciphertext copied to another subscription
 * does not decrypt. Stored as `v1.<iv>.<tag>.<ciphertext>` (base64url).
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(masterSecret: string) {
    this.#key = Buffer.from(
      hkdfSync(
        'sha256',
        masterSecret,
        'upkeep-webhooks',
        'webhook-secret-v1',
        32,
      ),
    );
  }

  seal(plain: string, subscriptionId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(subscriptionId));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), data]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  open(sealed: string, subscriptionId: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || data === undefined) {
      throw new Error('sealed secret has an unknown format');
    }
    const decipher = createDecipheriv(
      'aes-256-gcm',
      this.#key,
      Buffer.from(iv, 'base64url'),
    );
    decipher.setAAD(Buffer.from(subscriptionId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(data, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }
}

/** A new subscription secret, shown to the caller once. */
export function newWebhookSecret() {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
