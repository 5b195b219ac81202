import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempStateDir } from '../test-support.js';
import { loadOrCreateLocalCa } from './local-ca.js';
import { certificateIdOf, derOf } from './x509.js';

describe('the local CA', () => {
  it('makes a root on the first start and keeps it, the key private', async () => {
    const dir = join(tempStateDir(), 'pki');

    const first = await loadOrCreateLocalCa(dir);
    const second = await loadOrCreateLocalCa(dir);

    const root = new X509Certificate(first.certificatePem);
    expect(second.certificatePem).toBe(first.certificatePem);
    expect(root.ca).toBe(true);
    expect(root.verify(root.publicKey)).toBe(true);
    expect(statSync(join(dir, 'ca.key.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'ca.crt.pem'), 'utf8')).toBe(
      first.certificatePem,
    );
  });

  it('issues device certificates for client auth, signed after a restart too', async () => {
    const dir = join(tempStateDir(), 'pki');
    const root = new X509Certificate(
      (await loadOrCreateLocalCa(dir)).certificatePem,
    );

    const device = await (await loadOrCreateLocalCa(dir)).issueDevice('dev-1');

    const certificate = new X509Certificate(device.certificatePem);
    expect(certificate.verify(root.publicKey)).toBe(true);
    expect(certificate.checkIssued(root)).toBe(true);
    expect(certificate.ca).toBe(false);
    expect(certificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(
      certificate.checkPrivateKey(createPrivateKey(device.privateKeyPem)),
    ).toBe(true);
  });

  it('issues the broker a server certificate for the loopback names', async () => {
    const ca = await loadOrCreateLocalCa(join(tempStateDir(), 'pki'));

    const server = new X509Certificate((await ca.issueServer()).certificatePem);

    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkHost('example.com')).toBeUndefined();
  });

  it('names a certificate by the SHA-256 of its DER, as IoT does', async () => {
    const ca = await loadOrCreateLocalCa(join(tempStateDir(), 'pki'));
    const { certificatePem } = await ca.issueDevice('dev-1');

    const id = certificateIdOf(derOf(certificatePem));

    expect(id).toBe(
      new X509Certificate(certificatePem).fingerprint256
        .replaceAll(':', '')
        .toLowerCase(),
    );
  });
});
