import { PublishCommand } from '@aws-sdk/client-iot-data-plane';
import type { IotDataClientSource } from '../lib/iot-data.js';

/** Where cycle messages go; the handler needs nothing else of IoT. */
export type CyclePublisher = (topic: string, payload: string) => Promise<void>;

/**
 * Publishes through the IoT data plane, QoS 1: a device with a persistent
 * session that is briefly offline gets it on reconnect (IoT keeps it for
 * the session's expiry, an hour by default).
 */
export function iotPublisher(client: IotDataClientSource): CyclePublisher {
  const encoder = new TextEncoder();
  return async (topic, payload) => {
    await (await client()).send(
      new PublishCommand({ topic, qos: 1, payload: encoder.encode(payload) }),
    );
  };
}
