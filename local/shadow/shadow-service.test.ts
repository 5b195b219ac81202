import { describe, expect, it } from 'vitest';
import { ShadowRequestError } from './shadow-document.js';
import { shadowDevice, startShadows, tempFile } from './test-support.js';

const DESIRED = { version: 11, disk: { minFreePercent: 15 } };

describe('the shadow service over MQTT', () => {
  it('rejects a get of a shadow that does not exist, with the token', async () => {
    const { broker } = await startShadows();
    const device = await shadowDevice(broker, 'dev-a');

    await device.client.publishAsync(
      `${device.prefix}/get`,
      '{"clientToken":"t-1"}',
      { qos: 1 },
    );

    await expect.poll(() => device.received.length).toBe(1);
    expect(device.received[0]).toEqual({
      suffix: 'get/rejected',
      body: {
        code: 404,
        message: "No shadow exists with name: 'policy'",
        timestamp: 1_700_000_000,
        clientToken: 't-1',
      },
    });
  });

  it('tells the device of a desired change, then clears the delta when it reports', async () => {
    const { broker, shadows } = await startShadows();
    const device = await shadowDevice(broker, 'dev-a');

    await shadows.update(
      'dev-a',
      'policy',
      JSON.stringify({ state: { desired: DESIRED } }),
    );
    await expect
      .poll(() => device.received.map((m) => m.suffix))
      .toEqual(['update/accepted', 'update/delta', 'update/documents']);
    expect(device.received[1]?.body).toMatchObject({
      state: DESIRED,
      version: 1,
      metadata: { version: { timestamp: 1_700_000_000 } },
    });

    await device.client.publishAsync(
      `${device.prefix}/update`,
      JSON.stringify({ state: { reported: DESIRED }, clientToken: 'r-1' }),
      { qos: 1 },
    );
    await expect.poll(() => device.received.length).toBe(5);
    expect(device.received.slice(3).map((m) => m.suffix)).toEqual([
      'update/accepted',
      'update/documents',
    ]);
    expect(device.received[4]?.body).toMatchObject({
      previous: { version: 1 },
      current: { version: 2, state: { desired: DESIRED, reported: DESIRED } },
      clientToken: 'r-1',
    });
  });

  it('answers a get with the delta while reported lags', async () => {
    const { broker, shadows } = await startShadows();
    await shadows.update(
      'dev-a',
      'policy',
      JSON.stringify({ state: { desired: DESIRED, reported: { version: 3 } } }),
    );
    const device = await shadowDevice(broker, 'dev-a');

    await device.client.publishAsync(`${device.prefix}/get`, '', { qos: 1 });

    await expect.poll(() => device.received.length).toBe(1);
    expect(device.received[0]?.suffix).toBe('get/accepted');
    expect(device.received[0]?.body.state).toEqual({
      desired: DESIRED,
      reported: { version: 3 },
      delta: DESIRED,
    });
  });

  it('refuses a stale version with update/rejected 409', async () => {
    const { broker, shadows } = await startShadows();
    await shadows.update('dev-a', 'policy', '{"state":{"reported":{"a":1}}}');
    const device = await shadowDevice(broker, 'dev-a');

    await device.client.publishAsync(
      `${device.prefix}/update`,
      '{"state":{"reported":{"a":2}},"version":7}',
      { qos: 1 },
    );

    await expect.poll(() => device.received.length).toBe(1);
    expect(device.received[0]).toMatchObject({
      suffix: 'update/rejected',
      body: { code: 409, message: 'Version conflict' },
    });
    await expect(shadows.get('dev-a', 'policy')).resolves.toMatchObject({
      state: { reported: { a: 1 } },
      version: 1,
    });
  });

  it('keeps the shadows across a restart on the same file', async () => {
    const file = tempFile('shadows.json');
    const first = await startShadows(file);
    await first.shadows.update(
      'dev-a',
      'policy',
      JSON.stringify({ state: { desired: DESIRED } }),
    );
    await first.shadows.close();

    const second = await startShadows(file);

    await expect(second.shadows.get('dev-a', 'policy')).resolves.toMatchObject({
      state: { desired: DESIRED },
      version: 1,
    });
    await expect(second.shadows.get('dev-b', 'policy')).rejects.toBeInstanceOf(
      ShadowRequestError,
    );
  });
});
