import { createHash } from 'node:crypto';
import type { MessageAttributes } from './types.js';

export function md5OfBody(body: string) {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

/**
 * MD5 of message attributes as SQS computes it: attributes sorted by name,
 * each encoded as length-prefixed name, length-prefixed data type, one
 * transport byte (1 string, 2 binary) and the length-prefixed value; lengths
 * are 4-byte big-endian. See "Calculating the MD5 message digest for message
 * attributes" in the SQS developer guide.
 */
export function md5OfAttributes(attributes: MessageAttributes) {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;

  const hash = createHash('md5');
  for (const name of names) {
    const value = attributes[name];
    if (!value) continue;
    hash.update(lengthPrefixed(Buffer.from(name, 'utf8')));
    hash.update(lengthPrefixed(Buffer.from(value.DataType, 'utf8')));
    if (value.BinaryValue !== undefined) {
      hash.update(Buffer.of(2));
      hash.update(lengthPrefixed(Buffer.from(value.BinaryValue, 'base64')));
    } else {
      hash.update(Buffer.of(1));
      hash.update(lengthPrefixed(Buffer.from(value.StringValue ?? '', 'utf8')));
    }
  }
  return hash.digest('hex');
}

function lengthPrefixed(bytes: Buffer) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}
