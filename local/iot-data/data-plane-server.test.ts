import {
  ConflictException,
  GetThingShadowCommand,
  IoTDataPlaneClient,
  PublishCommand,
  ResourceNotFoundException,
  UpdateThingShadowCommand,
} from '@aws-sdk/client-iot-data-plane';
import mqtt from 'mqtt';
import { describe, expect, it, onTestFinished } from 'vitest';
import { shadowDevice, startShadows } from '../shadow/test-support.js';
import { startDataPlane } from './data-plane-server.js';

async function startAll() {
  const { broker, shadows } = await startShadows();
  const server = await startDataPlane({ broker, shadows, port: 0 });
  onTestFinished(() => server.close());
  const client = new IoTDataPlaneClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  onTestFinished(() => client.destroy());
  return { broker, client };
}

const json = (value: unknown) =>
  new TextEncoder().encode(JSON.stringify(value));
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

describe('the IoT data-plane stand-in', () => {
  it('delivers a Publish of the real SDK to a device on the group topic', async () => {
    const { broker, client } = await startAll();
    const device = await mqtt.connectAsync(broker.url, {
      clientId: 'dev-a',
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    onTestFinished(() => device.endAsync(true));
    const topic = 'upkeep/v1/groups/client-local/cycles';
    await device.subscribeAsync(topic, { qos: 1 });
    const received = new Promise<[string, string]>((resolve) =>
      device.once('message', (t, p) => resolve([t, String(p)])),
    );

    await client.send(
      new PublishCommand({ topic, qos: 1, payload: json({ v: 1 }) }),
    );

    expect(await received).toEqual([topic, '{"v":1}']);
  });

  it('updates and reads a named shadow, and the device hears the delta', async () => {
    const { broker, client } = await startAll();
    const device = await shadowDevice(broker, 'dev-a');

    const updated = await client.send(
      new UpdateThingShadowCommand({
        thingName: 'dev-a',
        shadowName: 'policy',
        payload: json({ state: { desired: { version: 4 } } }),
      }),
    );
    const read = await client.send(
      new GetThingShadowCommand({ thingName: 'dev-a', shadowName: 'policy' }),
    );

    expect(JSON.parse(text(updated.payload))).toMatchObject({ version: 1 });
    expect(JSON.parse(text(read.payload)).state).toEqual({
      desired: { version: 4 },
      delta: { version: 4 },
    });
    await expect
      .poll(() => device.received.map((m) => m.suffix))
      .toContain('update/delta');
  });

  it('maps a missing shadow and a stale version to the SDK exceptions', async () => {
    const { client } = await startAll();
    await client.send(
      new UpdateThingShadowCommand({
        thingName: 'dev-a',
        shadowName: 'policy',
        payload: json({ state: { desired: { a: 1 } } }),
      }),
    );

    await expect(
      client.send(
        new GetThingShadowCommand({ thingName: 'dev-b', shadowName: 'policy' }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      client.send(
        new UpdateThingShadowCommand({
          thingName: 'dev-a',
          shadowName: 'policy',
          payload: json({ state: { desired: { a: 2 } }, version: 9 }),
        }),
      ),
    ).rejects.toBeInstanceOf(ConflictException);
  });
});
