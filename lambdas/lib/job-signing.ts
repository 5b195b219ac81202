import {
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  sign,
} from 'node:crypto';
import {
  canonicalJobPayload,
  type JobDocument,
  type UnsignedJobDocument,
} from '../../core/schemas/job.js';

/**
 * The deployment's Ed25519 job-signing key. It is derived from a secret
 * string (the SHA-256 of it is the 32-byte Ed25519 seed), so that Secrets
 * Manager can generate the secret at deployment and the key never exists
 * outside it; locally the seed string lives in the state folder.
 *
 * The key id is derived from the public key, so a rotated secret gets a new
 * id by itself and agents can hold old and new keys side by side.
 */
export interface JobSigningKey {
  keyId: string;
  privateKey: KeyObject;
  /** SubjectPublicKeyInfo PEM, the form the agent's config takes. */
  publicKeyPem: string;
  /** The raw 32-byte public key, base64. */
  publicKeyRaw: string;
}

/** PKCS#8 prefix of an Ed25519 private key before its 32-byte seed. */
const PKCS8_ED25519_PREFIX = Buffer.from(
  '302e020100300506032b657004220420',
  'hex',
);
const MIN_SECRET_CHARS = 32;

export function signingKeyFromSecret(secret: string): JobSigningKey {
  if (secret.length < MIN_SECRET_CHARS) {
    throw new RangeError(
      `the signing secret needs ${MIN_SECRET_CHARS} characters or more, ` +
        `got ${secret.length}`,
    );
  }
  const seed = createHash('sha256').update(secret, 'utf8').digest();
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  const raw = Buffer.from(
    publicKey.export({ format: 'jwk' }).x as string,
    'base64url',
  );

  return {
    keyId: `ed25519-${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`,
    privateKey,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    publicKeyRaw: raw.toString('base64'),
  };
}

/** Signs `canonicalJobPayload(document)` (core/schemas/job.ts). */
export function signJobDocument(
  document: UnsignedJobDocument,
  key: JobSigningKey,
): JobDocument {
  const payload = Buffer.from(canonicalJobPayload(document), 'utf8');
  const value = sign(null, payload, key.privateKey).toString('base64');
  return {
    ...document,
    signature: { alg: 'ed25519', keyId: key.keyId, value },
  };
}
