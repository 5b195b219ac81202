import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { describe, expect, it } from 'vitest';
import { iotDataClient } from './iot-data.js';

describe('iotDataClient', () => {
  it('uses the endpoint it is given and builds the client once', async () => {
    const source = iotDataClient({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:18445',
    });

    const first = await source();
    const second = await source();
    const endpoint = await first.config.endpoint?.();

    expect(first).toBeInstanceOf(IoTDataPlaneClient);
    expect(second).toBe(first);
    expect(
      `${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}`,
    ).toBe('http://127.0.0.1:18445');
    first.destroy();
  });
});
