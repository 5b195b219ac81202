import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalJobPayload,
  jobDocumentSchema,
  type UnsignedJobDocument,
} from '../../core/schemas/job.js';
import { signingKeyFromSecret, signJobDocument } from './job-signing.js';

const SECRET =
  'b3f1c0d8a2e94f6b8c7d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b';

const unsigned: UnsignedJobDocument = {
  v: 1,
  deviceId: 'lap-1',
  remedy: 'cleanup',
  params: { volume: 'C:' },
  finding: { code: 'disk.low-percent', subject: 'C:' },
  attempt: 1,
  recheck: 'disk-space',
  issuedAt: '2026-12-04T09:00:00.000Z',
  expiresAt: '2026-12-11T09:00:00.000Z',
};

describe('job signing', () => {
  it('derives the same key and key id from the same secret', () => {
    const a = signingKeyFromSecret(SECRET);
    const b = signingKeyFromSecret(SECRET);

    expect(a.keyId).toBe(b.keyId);
    expect(a.keyId).toMatch(/^ed25519-[0-9a-f]{16}$/);
    expect(a.publicKeyPem).toBe(b.publicKeyPem);
    expect(Buffer.from(a.publicKeyRaw, 'base64')).toHaveLength(32);
  });

  it('signs a document that verifies with the public key alone', () => {
    const key = signingKeyFromSecret(SECRET);

    const signed = signJobDocument(unsigned, key);
    const valid = verify(
      null,
      Buffer.from(canonicalJobPayload(unsigned)),
      createPublicKey(key.publicKeyPem),
      Buffer.from(signed.signature.value, 'base64'),
    );

    expect(jobDocumentSchema.parse(signed)).toEqual(signed);
    expect(signed.signature.keyId).toBe(key.keyId);
    expect(valid).toBe(true);
  });

  it('makes a signature that fails for a changed parameter', () => {
    const key = signingKeyFromSecret(SECRET);
    const signed = signJobDocument(unsigned, key);
    const { signature, ...rest } = signed;

    const forged = { ...rest, params: { volume: 'D:' } };
    const valid = verify(
      null,
      Buffer.from(canonicalJobPayload(forged)),
      createPublicKey(key.publicKeyPem),
      Buffer.from(signature.value, 'base64'),
    );

    expect(valid).toBe(false);
  });

  it('refuses a secret too short to be a seed', () => {
    expect(() => signingKeyFromSecret('short')).toThrow(/32 characters/);
  });
});
