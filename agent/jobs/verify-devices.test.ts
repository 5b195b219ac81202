import { describe, expect, it } from 'vitest';
import { createRemedyRegistry } from '../remedies/registry.js';
import type { JobRejection } from './errors.js';
import { loadPublicKeys } from './keys.js';
import { cleanupJob, signJob, testKey } from './testing/sign.js';
import { verifyJobDocument } from './verify.js';

/**
 * A patch deployment is one job for a ring group: its signed document
 * lists the group's devices (docs/patch-doctor.md). Oracle: a device runs
 * it only when listed, and the list is covered by the signature.
 */
const NOW = new Date('2026-03-18T02:00:00Z');
const key = testKey('deploy-1');
const context = (thingName: string) => ({
  thingName,
  keys: loadPublicKeys({ [key.keyId]: key.publicKeyPem }),
  now: NOW,
  platform: 'win32' as const,
  remedies: createRemedyRegistry(),
  checks: ['patch-assessment' as const],
  clockSkewMs: 300_000,
  checkTimes: true,
});
const ringJob = () =>
  signJob(
    cleanupJob('upkeep-patch-1a5f21c0d75590675b326a6f', NOW, {
      devices: ['lap-1', 'lap-2'],
      remedy: 'install-updates',
      params: {
        updates: ['KB5053602'],
        windowEndsAt: '2026-03-18T04:00:00Z',
        wave: '2026-03',
      },
      finding: undefined,
      recheck: 'patch-assessment',
    }),
    key,
  );

const reasonOf = (run: () => unknown) => {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return (error as JobRejection).reason;
  }
};

describe('verifyJobDocument with a device list', () => {
  it('accepts a ring job on a listed device', () => {
    const job = verifyJobDocument(ringJob(), context('lap-2'));

    expect(job.remedy.name).toBe('install-updates');
    expect(job.params).toMatchObject({ updates: ['KB5053602'] });
  });

  it('refuses it on a device the list leaves out', () => {
    expect(reasonOf(() => verifyJobDocument(ringJob(), context('lap-3')))).toBe(
      'wrong-device',
    );
  });

  it('refuses a list extended after signing', () => {
    const forged = { ...ringJob(), devices: ['lap-1', 'lap-2', 'lap-3'] };

    expect(reasonOf(() => verifyJobDocument(forged, context('lap-3')))).toBe(
      'signature-invalid',
    );
  });
});
