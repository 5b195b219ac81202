import { Logger } from '@aws-lambda-powertools/logger';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { effectivePolicy } from '../../core/index.js';
import { startDataPlane } from '../../local/iot-data/data-plane-server.js';
import { createLambdaContext } from '../../local/lambda-context.js';
import { shadowDevice, startShadows } from '../../local/shadow/test-support.js';
import { DeviceRegistry } from '../lib/device-registry.js';
import { hello } from '../test-support/messages.js';
import { startStack, TABLE_NAME } from '../test-support/stack.js';
import {
  createPolicyHandler,
  PolicyEventError,
  type PolicyResult,
} from './create-policy-handler.js';
import { shadowPatch } from './shadow-patch.js';
import { iotPolicyShadow } from './shadow-port.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp() {
  const stack = await startStack(cleanups);
  const { broker, shadows } = await startShadows();
  const plane = await startDataPlane({ broker, shadows, port: 0 });
  onTestFinished(() => plane.close());
  const iot = new IoTDataPlaneClient({
    endpoint: plane.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  onTestFinished(() => iot.destroy());
  const handler = createPolicyHandler({
    config: stack.config,
    clients: stack.clients,
    shadows: iotPolicyShadow(async () => iot),
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
  });
  const registry = new DeviceRegistry(stack.clients.doc, TABLE_NAME);
  const invoke = (event: unknown) =>
    handler(
      event,
      createLambdaContext({ functionName: 'upkeep-policy' }),
    ) as Promise<PolicyResult>;
  return { broker, shadows, registry, invoke };
}

describe('policy function', () => {
  it('stores a client layer and delivers the effective policy to its devices', async () => {
    const t = await setUp();
    await t.registry.register('lap-1', 'acme', 0);
    await t.registry.register('lap-2', 'other', 0);
    const device = await shadowDevice(t.broker, 'lap-1');
    const layer = { disk: { minFreePercent: 15 }, timeZone: 'Europe/Paris' };

    const result = await t.invoke({
      action: 'put-layer',
      scope: { kind: 'client', clientId: 'acme' },
      layer,
    });
    const expected = effectivePolicy({ client: layer });

    expect(result).toEqual({
      devices: 1,
      delivered: 1,
      unchanged: 0,
      revision: 1,
    });
    await expect(t.shadows.get('lap-1', 'policy')).resolves.toMatchObject({
      state: {
        desired: { version: expected.version, timeZone: 'Europe/Paris' },
      },
    });
    await expect(t.shadows.get('lap-2', 'policy')).rejects.toMatchObject({
      code: 404,
    });
    await expect
      .poll(
        () => device.received.find((m) => m.suffix === 'update/delta')?.body,
      )
      .toMatchObject({ state: { version: expected.version } });
  });

  it('writes nothing when the shadow already desires that version', async () => {
    const t = await setUp();
    await t.registry.register('lap-1', 'acme', 0);
    const event = {
      action: 'put-layer',
      scope: { kind: 'device', thingName: 'lap-1' },
      layer: { disk: { floorBytes: 1_000_000 } },
    };

    await t.invoke(event);
    const again = await t.invoke(event);

    expect(again).toMatchObject({ delivered: 0, unchanged: 1, revision: 2 });
    await expect(t.shadows.get('lap-1', 'policy')).resolves.toMatchObject({
      version: 1,
    });
  });

  it('refuses a layer that breaks the inheritance rules, naming the field', async () => {
    const t = await setUp();

    const refused = t.invoke({
      action: 'put-layer',
      scope: { kind: 'device', thingName: 'lap-1' },
      layer: { timeZone: 'Europe/Paris' },
    });

    await expect(refused).rejects.toBeInstanceOf(PolicyEventError);
    await expect(refused).rejects.toMatchObject({
      code: 'not-overridable-here',
      path: 'timeZone',
    });
  });

  it('reconciles only the devices whose hello names another version', async () => {
    const t = await setUp();
    const current = effectivePolicy({}).version;
    await t.registry.register('lap-new', 'acme', 0);
    await t.registry.register('lap-ok', 'acme', 0);
    await t.registry.recordHello(
      'lap-new',
      { ...hello('lap-new'), policyVersion: 1 },
      1,
    );
    await t.registry.recordHello(
      'lap-ok',
      { ...hello('lap-ok'), policyVersion: current },
      1,
    );

    const result = await t.invoke({ action: 'reconcile' });

    expect(result).toEqual({ devices: 2, delivered: 1, unchanged: 1 });
    await expect(t.shadows.get('lap-new', 'policy')).resolves.toBeDefined();
    await expect(t.shadows.get('lap-ok', 'policy')).rejects.toMatchObject({
      code: 404,
    });
  });
});

describe('shadowPatch', () => {
  it('deletes what the new policy dropped and patches objects', () => {
    expect(
      shadowPatch(
        {
          version: 1,
          window: { start: '22:00', end: '02:00' },
          disk: { a: 1, b: 2 },
        },
        { version: 2, disk: { a: 1 }, list: [1] },
      ),
    ).toEqual({ window: null, version: 2, disk: { b: null, a: 1 }, list: [1] });
  });
});
