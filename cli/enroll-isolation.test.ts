import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IoTClient, UpdateCertificateCommand } from '@aws-sdk/client-iot';
import mqtt, { type MqttClient } from 'mqtt';
import { describe, expect, it, onTestFinished } from 'vitest';
import { readInstallBundle } from '../agent/transport/install-bundle.js';
import { certificateIdOf, derOf } from '../local/pki/x509.js';
import { enrolDevice, startEnrolmentStack } from './enroll-test-kit.js';

/**
 * Oracle: docs/iot-policy.md. A device enrolled with its own certificate
 * acts only as its thing: every attempt on another thing's topics, or on
 * another client's cycle group, is refused, and each refusal is logged
 * with the thing, the topic and the reason.
 */
type Target = Awaited<ReturnType<typeof startEnrolmentStack>>;

async function connectWithBundle(bundle: string, clientId?: string) {
  const options = await readInstallBundle(bundle);
  const client = await mqtt.connectAsync(options.brokerUrl, {
    clientId: clientId ?? options.thingName,
    protocolVersion: 4,
    reconnectPeriod: 0,
    ...options.tls,
  });
  onTestFinished(() => client.endAsync(true));
  return client;
}

/** The SUBACK code of one filter: 0x80 when refused. */
async function subscribeCode(client: MqttClient, filter: string) {
  try {
    const [grant] = await client.subscribeAsync(filter, { qos: 1 });
    return grant?.qos;
  } catch (error) {
    // mqtt.js rejects a refused grant and keeps the SUBACK on the error.
    const suback = (error as { packet?: { granted?: number[] } }).packet;
    return suback?.granted?.[0];
  }
}

function refusals(target: Target) {
  return target.logLines.filter((l) => l.message === 'mqtt request denied');
}

async function enrolTwoClients() {
  const target = await startEnrolmentStack();
  const a = await enrolDevice(target, 'acme', 'hq', 'acme-a');
  const b = await enrolDevice(target, 'globex', 'lab', 'globex-b');
  return { target, a, b };
}

describe('device isolation over mTLS', () => {
  it('refuses A a subscription to B jobs, B shadow and B cycle group', async () => {
    const { target, a, b } = await enrolTwoClients();
    const deviceB = await connectWithBundle(b);
    const deviceA = await connectWithBundle(a);

    const codes = {
      ownCycles: await subscribeCode(
        deviceA,
        'upkeep/v1/groups/client-acme_hq/cycles',
      ),
      jobs: await subscribeCode(
        deviceA,
        '$aws/things/globex-b/jobs/notify-next',
      ),
      shadow: await subscribeCode(
        deviceA,
        '$aws/things/globex-b/shadow/name/policy/update/delta',
      ),
      cycles: await subscribeCode(
        deviceA,
        'upkeep/v1/groups/client-globex_lab/cycles',
      ),
      clientCycles: await subscribeCode(
        deviceA,
        'upkeep/v1/groups/client-globex/cycles',
      ),
    };

    expect(codes).toEqual({
      ownCycles: 1,
      jobs: 128,
      shadow: 128,
      cycles: 128,
      clientCycles: 128,
    });
    expect(deviceB.connected).toBe(true);
    expect(refusals(target)).toEqual([
      expect.objectContaining({
        level: 'WARN',
        action: 'subscribe',
        thingName: 'acme-a',
        topic: '$aws/things/globex-b/jobs/notify-next',
        reason: 'foreign-topic',
      }),
      expect.objectContaining({
        thingName: 'acme-a',
        topic: '$aws/things/globex-b/shadow/name/policy/update/delta',
        reason: 'foreign-topic',
      }),
      expect.objectContaining({
        thingName: 'acme-a',
        topic: 'upkeep/v1/groups/client-globex_lab/cycles',
        reason: 'foreign-group',
      }),
      expect.objectContaining({
        thingName: 'acme-a',
        topic: 'upkeep/v1/groups/client-globex/cycles',
        reason: 'foreign-group',
      }),
    ]);
  });

  it('refuses A a report published as B and drops its connection', async () => {
    const { target, a, b } = await enrolTwoClients();
    const deviceB = await connectWithBundle(b);
    const received: string[] = [];
    await deviceB.subscribeAsync('$aws/things/globex-b/jobs/notify-next');
    deviceB.on('message', (topic) => received.push(topic));
    const deviceA = await connectWithBundle(a);
    const closed = new Promise<void>((r) => deviceA.once('close', () => r()));

    deviceA.publish('upkeep/v1/devices/globex-b/reports', '{}', { qos: 1 });
    deviceA.publish('$aws/things/globex-b/jobs/notify-next', '{}', { qos: 0 });
    await closed;

    expect(refusals(target)).toContainEqual(
      expect.objectContaining({
        action: 'publish',
        thingName: 'acme-a',
        topic: 'upkeep/v1/devices/globex-b/reports',
        reason: 'foreign-topic',
      }),
    );
    expect(received).toEqual([]);
  });

  it('refuses A connecting with its certificate under the name of B', async () => {
    const { target, a } = await enrolTwoClients();

    const attempt = connectWithBundle(a, 'globex-b');

    await expect(attempt).rejects.toThrow(/Not authorized/i);
    expect(refusals(target)).toEqual([
      expect.objectContaining({
        action: 'connect',
        clientId: 'globex-b',
        thingName: 'globex-b',
        reason: 'thing-not-attached',
      }),
    ]);
  });

  it('refuses a device whose certificate the MSP made INACTIVE', async () => {
    const { target, a } = await enrolTwoClients();
    const device = await connectWithBundle(a);
    const closed = new Promise<void>((r) => device.once('close', () => r()));
    const certificatePem = readFileSync(join(a, 'certificate.pem.crt'), 'utf8');
    const iot = new IoTClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      endpoint: target.stack.iotEndpoint,
    });
    onTestFinished(() => iot.destroy());

    await iot.send(
      new UpdateCertificateCommand({
        certificateId: certificateIdOf(derOf(certificatePem)),
        newStatus: 'INACTIVE',
      }),
    );
    await closed;
    const again = connectWithBundle(a);

    await expect(again).rejects.toThrow(/Not authorized/i);
    expect(refusals(target)).toEqual([
      expect.objectContaining({
        action: 'connect',
        thingName: 'acme-a',
        reason: 'certificate-inactive',
      }),
    ]);
  });
});
