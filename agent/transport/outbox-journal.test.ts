import { describe, expect, it } from 'vitest';
import { encodeRecord, readJournal } from './outbox-journal.js';

const put = (seq: number, payload = `{"n":${seq}}`) =>
  ({ t: 'put', seq, topic: 'upkeep/report', payload }) as const;

describe('outbox journal', () => {
  it('reads back what it wrote, one line per record', () => {
    const data = Buffer.concat([
      encodeRecord(put(1, 'line one\nline two')),
      encodeRecord({ t: 'ack', seq: 1 }),
    ]);

    const journal = readJournal(data);

    expect(journal.records).toEqual([
      put(1, 'line one\nline two'),
      { t: 'ack', seq: 1 },
    ]);
    expect(journal.validLength).toBe(data.length);
    expect(data.toString().split('\n')).toHaveLength(3);
  });

  it('stops the valid part before a last record without its newline', () => {
    const whole = encodeRecord(put(1));
    const torn = encodeRecord(put(2)).subarray(0, 20);

    const journal = readJournal(Buffer.concat([whole, torn]));

    expect(journal.records).toEqual([put(1)]);
    expect(journal.validLength).toBe(whole.length);
    expect(journal.corrupt).toBe(0);
  });

  it('treats a last line whose checksum fails as torn', () => {
    const whole = encodeRecord(put(1));
    const bad = Buffer.from(encodeRecord(put(2)));
    bad[bad.length - 3] = 0x30;

    const journal = readJournal(Buffer.concat([whole, bad]));

    expect(journal.records).toEqual([put(1)]);
    expect(journal.validLength).toBe(whole.length);
  });

  it('skips and counts a damaged line with good records after it', () => {
    const bad = Buffer.from(encodeRecord(put(1)));
    bad[12] = 0x58;
    const good = encodeRecord(put(2));

    const journal = readJournal(Buffer.concat([bad, good]));

    expect(journal.records).toEqual([put(2)]);
    expect(journal.corrupt).toBe(1);
    expect(journal.validLength).toBe(bad.length + good.length);
  });

  it('refuses a line whose JSON is not a journal record', () => {
    const line = encodeRecord({ t: 'ack', seq: 1 });
    const forged = Buffer.from(
      line
        .toString()
        .replace('"ack"', '"hop"')
        .replace(/^\w{8}/, '00000000'),
    );

    expect(readJournal(forged).records).toEqual([]);
  });
});
