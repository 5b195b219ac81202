import os from 'node:os';
import { THING_NAME_PATTERN } from '../core/index.js';

/** Used when the host name has no character a thing name may keep. */
const FALLBACK = 'upkeep-device';

/**
 * A thing name from the host name: lower-case, every character AWS IoT does
 * not accept in a thing name ([a-zA-Z0-9:_-]) replaced by a dash, runs of
 * dashes folded, at most 128 characters. Lower case because Windows host
 * names are case-insensitive and the thing name is the client id: LAPTOP-7
 * and laptop-7 must not become two devices.
 */
export function defaultThingName(hostname: string = os.hostname()): string {
  const name = hostname
    .toLowerCase()
    .replace(/[^a-z0-9:_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 128)
    .replace(/-+$/, '');

  return THING_NAME_PATTERN.test(name) ? name : FALLBACK;
}
