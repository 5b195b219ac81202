import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  BUNDLE_FILES,
  bundleFromFlags,
  readInstallBundle,
} from './install-bundle.js';

const config = {
  v: 1,
  endpoint: 'a1b2c3d4e5f6g7-ats.iot.eu-west-1.amazonaws.com',
  port: 8883,
  thingName: 'acme-laptop-7',
  clientId: 'acme',
  siteId: 'hq',
  cycleGroup: 'client-acme_hq',
};

/** A bundle folder as `upkeep enroll` writes it, removed at the end. */
function bundle(configJson: unknown = config) {
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-bundle-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, BUNDLE_FILES.config), JSON.stringify(configJson));
  writeFileSync(join(dir, BUNDLE_FILES.certificate), 'CERT');
  writeFileSync(join(dir, BUNDLE_FILES.privateKey), 'KEY');
  writeFileSync(join(dir, BUNDLE_FILES.rootCa), 'ROOT');
  return dir;
}

describe('readInstallBundle', () => {
  it('gives the broker URL, thing, cycle group and TLS files', async () => {
    const options = await readInstallBundle(bundle());

    expect(options).toEqual({
      brokerUrl: `mqtts://${config.endpoint}:8883`,
      thingName: 'acme-laptop-7',
      groups: ['client-acme_hq'],
      tls: { ca: 'ROOT', cert: 'CERT', key: 'KEY' },
    });
  });

  it('trusts the job-signing key the bundle carries', async () => {
    const jobSigning = {
      keyId: 'ed25519-0123456789abcdef',
      publicKeyPem:
        '-----BEGIN PUBLIC KEY-----\nMCow\n-----END PUBLIC KEY-----\n',
    };

    const options = await readInstallBundle(bundle({ ...config, jobSigning }));

    expect(options.jobs).toEqual({
      publicKeys: { [jobSigning.keyId]: jobSigning.publicKeyPem },
    });
  });

  it('brackets an IPv6 endpoint', async () => {
    const options = await readInstallBundle(
      bundle({ ...config, endpoint: '::1', port: 18_883 }),
    );

    expect(options.brokerUrl).toBe('mqtts://[::1]:18883');
  });

  it('names the field a bad config gets wrong', async () => {
    const dir = bundle({ ...config, thingName: 'not a thing' });

    await expect(readInstallBundle(dir)).rejects.toThrow(
      /config\.json: thingName: /,
    );
  });

  it('names a missing file', async () => {
    const dir = bundle();
    rmSync(join(dir, BUNDLE_FILES.privateKey));

    await expect(readInstallBundle(dir)).rejects.toMatchObject({
      code: 'invalid-config',
      message: expect.stringMatching(/lacks .*private\.pem\.key/),
    });
  });
});

describe('bundleFromFlags', () => {
  it('refuses a flag the bundle sets', async () => {
    const attempt = bundleFromFlags({ bundle: bundle(), thing: 'other' });

    await expect(attempt).rejects.toThrow(
      /--thing cannot be combined with --bundle/,
    );
  });

  it('leaves the flags alone without --bundle', async () => {
    expect(await bundleFromFlags({ broker: 'mqtt://127.0.0.1:1' })).toBe(
      undefined,
    );
  });
});
