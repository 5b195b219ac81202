import { randomBytes } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.js';

describe('crc32', () => {
  it('gives the check value of CRC-32/ISO-HDLC for "123456789"', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('gives 0 for no bytes', () => {
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it("matches zlib's crc32 on journal lines and random buffers", () => {
    const samples = [
      Buffer.from('{"t":"ack","seq":7}'),
      Buffer.from('{"t":"put","seq":1,"topic":"é ü ✓","payload":"x"}'),
      ...[1, 255, 4096, 65_537].map((size) => randomBytes(size)),
    ];
    for (const sample of samples) {
      expect(crc32(sample)).toBe(zlibCrc32(sample));
    }
  });
});
