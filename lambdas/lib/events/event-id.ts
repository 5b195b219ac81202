import { createHash } from 'node:crypto';
import { ulid } from '../../../core/ulid.js';

/**
 * A ULID whose time part is when the transition happened and whose random
 * part is a hash of what happened. The same transition, seen again after a
 * redelivered report or a retried invocation, always gets the same id, so
 * the outbox's "put only if absent" drops the repeat and a receiver can
 * deduplicate on `Upkeep-Event-Id`.
 */
export function transitionEventId(occurredMs: number, seed: string) {
  const digest = createHash('sha256').update(seed).digest();
  return ulid(Math.max(0, Math.floor(occurredMs)), (size) =>
    digest.subarray(0, size),
  );
}
