import { crc32 } from './crc32.js';

/**
 * The outbox journal format: one record per line,
 *
 *   <CRC-32 of the JSON, 8 hex digits> <JSON>\n
 *
 * JSON escapes every newline inside strings, so a line ends only where a
 * record ends. A record is valid only with its newline and a matching CRC:
 * a write cut short by a crash or power loss leaves a last line without
 * one of them, which the reader reports as a torn tail.
 */
export type JournalRecord =
  | {
      t: 'put';
      seq: number;
      topic: string;
      payload: string;
      receipt?: string;
      group?: string;
      routine?: boolean;
    }
  | { t: 'ack'; seq: number }
  | { t: 'drop'; seq: number }
  | { t: 'meta'; nextSeq: number; receipts: string[]; dropped: number };

const NEWLINE = 0x0a;

export function encodeRecord(record: JournalRecord): Buffer {
  const json = JSON.stringify(record);
  const body = Buffer.from(json, 'utf8');
  const crc = crc32(body).toString(16).padStart(8, '0');
  return Buffer.concat([Buffer.from(`${crc} `), body, Buffer.from('\n')]);
}

export interface ReadJournal {
  records: JournalRecord[];
  /** Bytes up to the end of the last valid record; the rest is torn. */
  validLength: number;
  /** Invalid lines followed by valid ones: damage, not a torn write. */
  corrupt: number;
}

/**
 * Reads a journal. Invalid lines after the last valid record are the torn
 * tail (cut off by the caller); invalid lines before it are skipped and
 * counted, since the records after them are still good.
 */
export function readJournal(data: Buffer): ReadJournal {
  const records: JournalRecord[] = [];
  let validLength = 0;
  let invalidSinceValid = 0;
  let corrupt = 0;

  let start = 0;
  while (start < data.length) {
    const end = data.indexOf(NEWLINE, start);
    const record = end < 0 ? undefined : decodeLine(data, start, end);
    if (record) {
      records.push(record);
      corrupt += invalidSinceValid;
      invalidSinceValid = 0;
      validLength = end + 1;
    } else {
      invalidSinceValid++;
    }
    if (end < 0) break;
    start = end + 1;
  }
  return { records, validLength, corrupt };
}

function decodeLine(data: Buffer, start: number, end: number) {
  if (end - start < 10 || data[start + 8] !== 0x20) return undefined;

  const crcText = data.toString('latin1', start, start + 8);
  const body = data.subarray(start + 9, end);
  if (!/^[0-9a-f]{8}$/.test(crcText)) return undefined;
  if (crc32(body) !== Number.parseInt(crcText, 16)) return undefined;

  try {
    const record = JSON.parse(body.toString('utf8')) as JournalRecord;
    return isRecord(record) ? record : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: JournalRecord): boolean {
  if (typeof value !== 'object' || value === null) return false;
  switch (value.t) {
    case 'put':
      return (
        Number.isSafeInteger(value.seq) &&
        typeof value.topic === 'string' &&
        typeof value.payload === 'string'
      );
    case 'ack':
    case 'drop':
      return Number.isSafeInteger(value.seq);
    case 'meta':
      return (
        Number.isSafeInteger(value.nextSeq) && Array.isArray(value.receipts)
      );
    default:
      return false;
  }
}
