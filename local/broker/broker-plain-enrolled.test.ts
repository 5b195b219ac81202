import mqtt from 'mqtt';
import { describe, expect, it, onTestFinished } from 'vitest';
import { waitFor } from '../test-support.js';
import { enrolDirectly, startMtlsBroker } from './mtls-test-kit.js';

function connectPlain(url: string, clientId: string) {
  const client = mqtt.connect(url, {
    clientId,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 5_000,
  });
  onTestFinished(() => client.endAsync(true));
  return new Promise<{ connected: boolean; error?: Error }>((resolve) => {
    client.once('connect', () => resolve({ connected: true }));
    client.once('error', (error) => resolve({ connected: false, error }));
  });
}

describe('the plain listener', () => {
  it('refuses the client id of a thing with a certificate, and says so', async () => {
    const { broker, registry, denied } = await startMtlsBroker();
    await enrolDirectly(registry, 'laptop2', 'client-acme');

    const result = await connectPlain(broker.url, 'laptop2');

    expect(result.connected).toBe(false);
    expect(result.error?.message).toMatch(/Not authorized/i);
    await waitFor(
      async () => denied,
      (d) => d.length > 0,
    );
    expect(denied[0]).toMatchObject({
      action: 'connect',
      clientId: 'laptop2',
      reason: 'enrolled-thing-needs-certificate',
    });
  });

  it('accepts a client id no certificate is attached to', async () => {
    const { broker, registry } = await startMtlsBroker();
    await enrolDirectly(registry, 'laptop2', 'client-acme');

    const result = await connectPlain(broker.url, 'stack-agent');

    expect(result.connected).toBe(true);
  });
});
