import type { DevicePayloads } from './payloads.js';

/**
 * The IPC messages between the benchmark and its device process:
 *
 *   bench                         devices
 *   start {mqttUrl, devices}  →
 *                             ←   connected   (every client up, hellos acked)
 *   go                        →
 *                             ←   published   (every report PUBACKed)
 *   stop                      →   (disconnects, exits)
 *                             ←   failed      (at any point)
 *
 * Times are ms since the epoch with sub-ms precision
 * (performance.timeOrigin + performance.now()), comparable across the two
 * processes of one machine.
 */
export type ToDevices =
  | { type: 'start'; mqttUrl: string; devices: DevicePayloads[] }
  | { type: 'go' }
  | { type: 'stop' };

export type FromDevices =
  | { type: 'connected' }
  | {
      type: 'published';
      firstPublishAt: number;
      lastAckAt: number;
      /** CPU the device process used from go to the last PUBACK, ms. */
      cpuMs: number;
    }
  | { type: 'failed'; message: string };

export function epochNow() {
  return performance.timeOrigin + performance.now();
}
