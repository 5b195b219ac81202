import { describe, expect, it } from 'vitest';
import type { JobDocument } from '../../core/index.js';
import { createRemedyRegistry } from '../remedies/registry.js';
import { JobRejection, type RejectReason } from './errors.js';
import { loadPublicKeys } from './keys.js';
import { cleanupJob, signJob, testKey } from './testing/sign.js';
import { type VerifyContext, verifyJobDocument } from './verify.js';

const NOW = new Date('2026-03-02T10:00:00Z');
const key = testKey('deploy-1');
const otherKey = testKey('deploy-1');

function context(overrides: Partial<VerifyContext> = {}): VerifyContext {
  return {
    thingName: 'laptop-0042',
    keys: loadPublicKeys({ [key.keyId]: key.publicKeyPem }),
    now: NOW,
    platform: 'linux',
    remedies: createRemedyRegistry(),
    checks: ['disk-space', 'cleanup', 'antivirus'],
    clockSkewMs: 300_000,
    checkTimes: true,
    ...overrides,
  };
}

function signed(overrides: Parameters<typeof cleanupJob>[2] = {}) {
  return signJob(cleanupJob('laptop-0042', NOW, overrides), key);
}

function rejection(raw: unknown, ctx = context()): RejectReason | 'accepted' {
  try {
    verifyJobDocument(raw, ctx);
    return 'accepted';
  } catch (error) {
    if (error instanceof JobRejection) return error.reason;
    throw error;
  }
}

describe('verifyJobDocument', () => {
  it('accepts a signed cleanup job for this device and resolves its parts', () => {
    const job = verifyJobDocument(signed(), context());

    expect(job.remedy.name).toBe('cleanup');
    expect(job.params).toEqual({});
    expect(job.recheck).toBe('disk-space');
    expect(job.document.finding?.code).toBe('disk.low-percent');
  });

  it('accepts a key given as raw base64 as well as PEM', () => {
    const keys = loadPublicKeys({ [key.keyId]: key.publicKeyRaw });

    expect(rejection(signed(), context({ keys }))).toBe('accepted');
  });

  it('rejects a document without a signature', () => {
    const { signature: _, ...unsigned } = signed();

    expect(rejection(unsigned)).toBe('signature-missing');
  });

  it('rejects a document signed by another key with the same key id', () => {
    const forged = signJob(cleanupJob('laptop-0042', NOW), otherKey);

    expect(rejection(forged)).toBe('signature-invalid');
  });

  it('rejects a document changed after signing', () => {
    const document: JobDocument = { ...signed(), remedy: 'rerun-check' };

    expect(rejection(document)).toBe('signature-invalid');
  });

  it('rejects a signature whose key id is not configured', () => {
    const document = signJob(cleanupJob('laptop-0042', NOW), {
      keyId: 'deploy-9',
      privateKey: key.privateKey,
    });

    expect(rejection(document)).toBe('signature-unknown-key');
  });

  it('rejects a signature value that is not 64 bytes', () => {
    const document = signed();
    const short = { ...document.signature, value: 'AAAA' };

    expect(rejection({ ...document, signature: short })).toBe(
      'signature-malformed',
    );
  });

  it('rejects a document that is not an object', () => {
    expect(rejection('cleanup')).toBe('document-not-object');
    expect(rejection([signed()])).toBe('document-not-object');
  });

  it('rejects a signed document that breaks the schema', () => {
    const document = signJob(
      { ...cleanupJob('laptop-0042', NOW), attempt: 0 },
      key,
    );

    expect(rejection(document)).toBe('document-invalid');
  });

  it("rejects another device's job", () => {
    const document = signJob(cleanupJob('laptop-0043', NOW), key);

    expect(rejection(document)).toBe('wrong-device');
  });

  it('rejects an expired job, and one issued in the future', () => {
    const expired = signed({ expiresAt: '2026-03-02T09:59:59Z' });
    const future = signed({ issuedAt: '2026-03-02T10:10:00Z' });

    expect(rejection(expired)).toBe('expired');
    expect(rejection(future)).toBe('not-yet-valid');
  });

  it('accepts an expired job when resuming one already accepted', () => {
    const expired = signed({ expiresAt: '2026-03-02T09:59:59Z' });

    expect(rejection(expired, context({ checkTimes: false }))).toBe('accepted');
  });

  it('rejects a remedy outside the allow-list, even when signed', () => {
    expect(rejection(signed({ remedy: 'format-disk' }))).toBe('unknown-remedy');
  });

  it('rejects params the remedy schema refuses', () => {
    expect(rejection(signed({ params: { maxAgeDays: 'all' } }))).toBe(
      'bad-params',
    );
    expect(rejection(signed({ params: { rm: '-rf /' } }))).toBe('bad-params');
  });

  it('rejects an allow-listed remedy this platform does not implement', () => {
    const document = signed({ remedy: 'sfc-scannow', params: {} });

    expect(rejection(document)).toBe('not-implemented');
  });

  it('rejects a service outside the agent list', () => {
    const document = signed({
      remedy: 'start-service',
      params: { service: 'sshd' },
      recheck: 'antivirus',
    });

    expect(rejection(document)).toBe('not-allowed');
  });

  it('rejects a Windows product on Linux', () => {
    const document = signed({
      remedy: 'update-av-signatures',
      params: { product: 'defender' },
      recheck: 'antivirus',
    });

    expect(rejection(document)).toBe('not-implemented');
  });

  it('rejects a re-check this agent does not have', () => {
    expect(rejection(signed({ recheck: 'smart' }))).toBe('recheck-unavailable');
  });

  it("takes the remedy's own re-check when the job names none", () => {
    const job = verifyJobDocument(
      signed({
        remedy: 'update-av-signatures',
        params: { product: 'clamav' },
        recheck: undefined,
      }),
      context(),
    );

    expect(job.recheck).toBe('antivirus');
  });
});
