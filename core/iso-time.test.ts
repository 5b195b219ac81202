import { describe, expect, it } from 'vitest';
import { isoTime } from './iso-time.js';

describe('isoTime', () => {
  it('writes the same text as toISOString across the range', () => {
    const times = [
      0,
      1,
      -1,
      951_782_400_000, // 2000-02-29
      1_796_378_400_123,
      253_402_300_799_999, // 9999-12-31T23:59:59.999Z
      253_402_300_800_000, // +010000
      -62_167_219_200_000, // 0000-01-01
      -62_167_219_200_001, // -000001
      8.64e15,
      -8.64e15,
    ];
    for (let step = 0; step < 2_000; step++) {
      times.push(Math.round((step - 1_000) * 1.37e11 + step * 7_919));
    }

    for (const ms of times) {
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
      expect(isoTime(new Date(ms))).toBe(new Date(ms).toISOString());
    }
  });

  it('writes a leap day and a year past 9999 as ECMA-262 does', () => {
    expect(isoTime(951_782_400_000)).toBe('2000-02-29T00:00:00.000Z');
    expect(isoTime(253_402_300_800_000)).toBe('+010000-01-01T00:00:00.000Z');
    expect(isoTime(-62_167_219_200_001)).toBe('-000001-12-31T23:59:59.999Z');
  });

  it('refuses an invalid time as toISOString does', () => {
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
    expect(() => isoTime(new Date('not a date'))).toThrow('Invalid time value');
    expect(() => isoTime(8.64e15 + 1)).toThrow(RangeError);
  });
});
