import { describe, expect, it } from 'vitest';
import { loadOrCreateLocalCa } from '../pki/local-ca.js';
import { tempStateDir, waitFor } from '../test-support.js';
import {
  connectTls,
  enrolDirectly,
  refusedConnect,
  startMtlsBroker,
} from './mtls-test-kit.js';

describe('the mTLS listener', () => {
  it('accepts a device whose active certificate is attached to its thing', async () => {
    const { registry, ca, tlsUrl } = await startMtlsBroker();
    const device = await enrolDirectly(registry, 'laptop-a', 'client-acme');

    const client = await connectTls(tlsUrl, 'laptop-a', ca, device);
    const [grant] = await client.subscribeAsync(
      'upkeep/v1/groups/client-acme/cycles',
      { qos: 1 },
    );

    expect(client.connected).toBe(true);
    expect(grant?.qos).toBe(1);
  });

  it('refuses a client without a certificate and says so', async () => {
    const { ca, denied, tlsUrl } = await startMtlsBroker();

    await refusedConnect(tlsUrl, 'laptop-a', ca, {});

    await waitFor(
      async () => denied,
      (d) => d.length > 0,
    );
    expect(denied[0]).toMatchObject({
      action: 'connect',
      reason: 'no-certificate',
    });
  });

  it('refuses a certificate signed by another CA', async () => {
    const { registry, ca, denied, tlsUrl } = await startMtlsBroker();
    await enrolDirectly(registry, 'laptop-a', 'client-acme');
    const otherCa = await loadOrCreateLocalCa(`${tempStateDir()}/pki`);
    const forged = await otherCa.issueDevice('laptop-a');

    await refusedConnect(tlsUrl, 'laptop-a', ca, {
      cert: forged.certificatePem,
      key: forged.privateKeyPem,
    });

    await waitFor(
      async () => denied,
      (d) => d.length > 0,
    );
    expect(denied[0]).toMatchObject({
      action: 'connect',
      reason: 'untrusted-certificate',
    });
  });

  it('refuses a certificate made INACTIVE and drops its connection', async () => {
    const { registry, ca, denied, tlsUrl } = await startMtlsBroker();
    const device = await enrolDirectly(registry, 'laptop-a', 'client-acme');
    const client = await connectTls(tlsUrl, 'laptop-a', ca, device);
    const closed = new Promise<void>((resolve) =>
      client.once('close', () => resolve()),
    );

    registry.updateCertificate(device.certificateId, 'INACTIVE');
    await closed;
    const error = await refusedConnect(tlsUrl, 'laptop-a', ca, device);

    expect(error.message).toMatch(/Not authorized/i);
    expect(denied).toContainEqual(
      expect.objectContaining({
        action: 'connect',
        thingName: 'laptop-a',
        reason: 'certificate-inactive',
      }),
    );
  });

  it('refuses a client id that is not the certificate thing', async () => {
    const { registry, ca, denied, tlsUrl } = await startMtlsBroker();
    const a = await enrolDirectly(registry, 'laptop-a', 'client-acme');
    await enrolDirectly(registry, 'laptop-b', 'client-acme');

    await refusedConnect(tlsUrl, 'laptop-b', ca, a);

    expect(denied).toEqual([
      expect.objectContaining({
        action: 'connect',
        clientId: 'laptop-b',
        reason: 'thing-not-attached',
      }),
    ]);
  });

  it('refuses a certificate without a policy', async () => {
    const { registry, ca, denied, tlsUrl } = await startMtlsBroker();
    registry.createThing({ thingName: 'laptop-a' });
    const made = await registry.createKeysAndCertificate(true);
    const arn = made.certificate.certificateArn;
    registry.attachThingPrincipal('laptop-a', arn);

    await refusedConnect(tlsUrl, 'laptop-a', ca, {
      cert: made.certificatePem,
      key: made.privateKeyPem,
    });

    expect(denied.map((d) => d.reason)).toEqual(['no-policy']);
  });
});
