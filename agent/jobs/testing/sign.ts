import {
  generateKeyPairSync,
  type KeyObject,
  sign as signBytes,
} from 'node:crypto';
import {
  canonicalJobPayload,
  type JobDocument,
  type UnsignedJobDocument,
} from '../../../core/index.js';

/**
 * Test side of the signature: a fresh Ed25519 deployment key and the
 * signer the cloud uses (Ed25519 over canonicalJobPayload), so that tests
 * exercise the agent's verification with real keys.
 */
export interface TestKey {
  keyId: string;
  privateKey: KeyObject;
  /** SubjectPublicKeyInfo PEM, one of the forms the agent accepts. */
  publicKeyPem: string;
  /** The raw 32-byte key in base64, the other form. */
  publicKeyRaw: string;
}

export function testKey(keyId = 'deploy-1'): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return {
    keyId,
    privateKey,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    publicKeyRaw: Buffer.from(jwk.x ?? '', 'base64url').toString('base64'),
  };
}

export function signJob(
  document: UnsignedJobDocument,
  key: Pick<TestKey, 'keyId' | 'privateKey'>,
): JobDocument {
  const payload = Buffer.from(canonicalJobPayload(document), 'utf8');
  const value = signBytes(null, payload, key.privateKey).toString('base64');
  return {
    ...document,
    signature: { alg: 'ed25519', keyId: key.keyId, value },
  };
}

/** A mount point no test machine has. */
export const ABSENT_VOLUME = '/upkeep-test-absent-volume';

/**
 * A valid cleanup job for `deviceId`, issued now, valid for a day. Its
 * finding names ABSENT_VOLUME, so that the real disk-space re-check never
 * shows it, whatever this machine's own disks look like.
 */
export function cleanupJob(
  deviceId: string,
  now = new Date(),
  overrides: Partial<UnsignedJobDocument> = {},
): UnsignedJobDocument {
  return {
    v: 1,
    deviceId,
    remedy: 'cleanup',
    params: {},
    finding: { code: 'disk.low-percent', subject: ABSENT_VOLUME },
    attempt: 1,
    recheck: 'disk-space',
    issuedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 86_400_000).toISOString(),
    ...overrides,
  };
}
