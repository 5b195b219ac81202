import { THING_NAME_PATTERN } from '../../core/topics.js';
import { ApiError } from './responses.js';

/**
 * A finding's id in the API: base64url of `[deviceId, code, subject]`.
 * Subjects hold anything (`/`, `C:`, a KB), so the id is opaque rather
 * than a path of three segments.
 */
export function findingIdOf(deviceId: string, code: string, subject: string) {
  return Buffer.from(JSON.stringify([deviceId, code, subject])).toString(
    'base64url',
  );
}

export function parseFindingId(findingId: string) {
  try {
    const parts = JSON.parse(Buffer.from(findingId, 'base64url').toString());
    const valid =
      Array.isArray(parts) &&
      parts.length === 3 &&
      parts.every((p) => typeof p === 'string' && p.length > 0) &&
      THING_NAME_PATTERN.test(parts[0]);
    if (valid) {
      const [deviceId, code, subject] = parts as string[];
      return { deviceId, code, subject } as {
        deviceId: string;
        code: string;
        subject: string;
      };
    }
  } catch {
    // falls through to the error below
  }
  throw new ApiError(404, 'finding-not-found', 'no such finding');
}
