import { createHash, createPublicKey } from 'node:crypto';
import { EnrollError } from './enroll-errors.js';

/** SubjectPublicKeyInfo DER prefix of an Ed25519 key before its 32 bytes. */
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const RAW_KEY_BYTES = 32;

export interface BundleJobSigning {
  keyId: string;
  publicKeyPem: string;
}

/**
 * The bundle's job-signing entry from the deployment's public key: the raw
 * 32-byte Ed25519 key, base64, as the stack output `JobSigningPublicKey`
 * publishes it (infra/lib/job-signing-public-key.ts). The key id and PEM
 * come out exactly as lambdas/lib/job-signing.ts makes them from the seed,
 * so an AWS bundle and a local one have the same shape.
 */
export function jobSigningFromPublicKey(base64: string): BundleJobSigning {
  const raw = Buffer.from(base64.trim(), 'base64');
  if (
    raw.length !== RAW_KEY_BYTES ||
    raw.toString('base64') !== base64.trim()
  ) {
    throw new EnrollError(
      'invalid-usage',
      `the job-signing public key must be ${RAW_KEY_BYTES} bytes in ` +
        `base64, got ${JSON.stringify(base64)}`,
    );
  }
  const publicKey = createPublicKey({
    key: Buffer.concat([SPKI_ED25519_PREFIX, raw]),
    format: 'der',
    type: 'spki',
  });
  const digest = createHash('sha256').update(raw).digest('hex');
  return {
    keyId: `ed25519-${digest.slice(0, 16)}`,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}
