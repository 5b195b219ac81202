import { h } from '../dom.js';

/** A device as the tables name it: its id, and the host name below. */
export function deviceCell(device) {
  const hostname =
    device.hostname && device.hostname !== device.deviceId
      ? h('span', { class: 'sub hostname' }, device.hostname)
      : null;
  return [h('span', { class: 'device-id' }, device.deviceId), hostname];
}

/** A number with its exact value kept machine-readable in `<data>`. */
export function figure(value, text) {
  return h('data', { value }, text);
}
