/**
 * Deterministic per-device jitter: a fraction in [0, 1) from a hash of the
 * thing name and the cycle id, so a device keeps its place in the spread
 * across restarts (a catch-up does not move because the agent restarted)
 * and a fleet spreads evenly without coordination. FNV-1a 32-bit: not a
 * secret, only well mixed and the same in every runtime (over code points,
 * not UTF-8 bytes; thing names and cycle ids are ASCII).
 */
export function jitterFraction(thingName: string, cycleId: string): number {
  let hash = 0x811c9dc5;
  for (const char of `${thingName}\n${cycleId}`) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 2 ** 32;
}

/** An offset in [0, spreadMs), whole ms. */
export function jitterMs(thingName: string, cycleId: string, spreadMs: number) {
  if (spreadMs <= 0) return 0;
  return Math.floor(jitterFraction(thingName, cycleId) * spreadMs);
}
