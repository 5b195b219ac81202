/**
 * CRC-32 (IEEE 802.3, the polynomial of zlib, gzip and PNG) of a buffer.
 * The same value as zlib's crc32; computed here so that the agent process
 * never loads Node's zlib module for its outbox journal.
 */
const POLYNOMIAL = 0xedb88320;

let table: Uint32Array | undefined;

function crcTable() {
  if (table) return table;

  table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) {
      c = c & 1 ? POLYNOMIAL ^ (c >>> 1) : c >>> 1;
    }
    table[n] = c >>> 0;
  }
  return table;
}

export function crc32(data: Uint8Array): number {
  const t = crcTable();
  let crc = 0xffffffff;
  for (const byte of data) {
    crc = (t[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}
