/**
 * ULIDs (https://github.com/ulid/spec): 48-bit millisecond time plus 80 random
 * bits in Crockford base32, so that ids sort by creation time. The clock and
 * the random source are passed in; core does no I/O.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_LENGTH = 10;
const RANDOM_LENGTH = 16;
const MAX_TIME = 2 ** 48 - 1;

export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export type RandomBytes = (size: number) => Uint8Array;

export function ulid(nowMs: number, randomBytes: RandomBytes): string {
  if (!Number.isInteger(nowMs) || nowMs < 0 || nowMs > MAX_TIME) {
    throw new RangeError(`ulid time must be 0..2^48-1 ms, got ${nowMs}`);
  }

  let time = '';
  let rest = nowMs;
  for (let i = 0; i < TIME_LENGTH; i++) {
    time = ALPHABET[rest % 32] + time;
    rest = Math.floor(rest / 32);
  }

  const bytes = randomBytes(RANDOM_LENGTH);
  let random = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) {
    random += ALPHABET[(bytes[i] ?? 0) % 32];
  }

  return time + random;
}

/** The creation time encoded in a ULID, in ms since the epoch. */
export function ulidTime(id: string): number {
  if (!ULID_PATTERN.test(id)) throw new TypeError(`not a ULID: ${id}`);

  let time = 0;
  for (const char of id.slice(0, TIME_LENGTH)) {
    time = time * 32 + ALPHABET.indexOf(char);
  }
  return time;
}
