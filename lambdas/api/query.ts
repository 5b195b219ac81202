import * as z from 'zod';
import { THING_NAME_PATTERN } from '../../core/topics.js';
import { ApiError } from './responses.js';

/** Query and path pieces several routes share. */
export const limitParam = (fallback: number, max: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

export const cursorParam = z.string().min(1).max(2048).optional();

export const booleanParam = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

export function requireDeviceId(deviceId: string) {
  if (THING_NAME_PATTERN.test(deviceId)) return deviceId;
  throw new ApiError(
    400,
    'invalid-device-id',
    `"${deviceId}" is not a device id`,
  );
}

export function deviceNotFound(deviceId: string) {
  return new ApiError(404, 'device-not-found', `no device "${deviceId}"`);
}
