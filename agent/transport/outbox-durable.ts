import { promises as fs } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import path from 'node:path';
import { isoTime } from '../../core/iso-time.js';
import type { AgentLogger } from '../logger.js';
import {
  EmptyWaiters,
  newEntry,
  type Outbox,
  type OutboxEntry,
  type OutboxMessage,
  setAsideError,
  supersede,
} from './outbox.js';
import { OUTBOX_ERROR_CODES, OutboxError } from './outbox-errors.js';
import { readOrEmpty, syncFolder, writeSynced } from './outbox-files.js';
import { encodeRecord, readJournal } from './outbox-journal.js';
import { decideOverflow, type OverflowItem } from './outbox-overflow.js';
import { ReceiptSet } from './outbox-receipts.js';
import {
  messageOf,
  putRecord,
  type Replayed,
  replay,
} from './outbox-replay.js';
import { isRequestTopic } from './request-topics.js';

/**
 * The agent's outbox as an append-only journal in the state folder
 * (format: outbox-journal.ts), so that no report is lost to kill -9, a
 * crash or a reboot, and what was queued goes out oldest first on the next
 * start.
 *
 *   add:         [drop lines] + put line ─▶ write ─▶ fdatasync ─▶ resolve
 *   acknowledge: ack line ─▶ write (no sync) ─▶ compact when enough is dead
 *   open:        read ─▶ cut a torn tail ─▶ replay puts without ack/drop
 *   compact:     meta + live puts ─▶ temp file ─▶ fdatasync ─▶ rename ─▶
 *                fsync the folder
 *
 * Invariant: `add` resolves only after the record is on disk, and the check
 * runner counts a run as done only after `add` resolved. A record torn by a
 * crash was never acknowledged to anyone, so its run is not marked done and
 * the scheduler runs it again. A crash between PUBACK and the ack line only
 * sends the report again with the same reportId, which ingest stores once;
 * that is why acks are not flushed.
 *
 * Cost: one fdatasync per stored message, typically 1-10 ms on an SSD and
 * tens of ms on a spinning disk or a busy laptop; the agent stores a few
 * dozen reports a day, so this is noise.
 */
export const durableOutboxDefaults = {
  /** Messages queued at most. @default 5_000 */
  maxRecords: 5_000,
  /** Bytes of queued records at most. @default 10 MB */
  maxBytes: 10 * 1024 * 1024,
  /** Compact once this many delivered records sit in the journal. */
  compactAfterRecords: 500,
  /** ...or once they take this many bytes. @default 1 MB */
  compactAfterBytes: 1024 * 1024,
  /** Receipts remembered (they outlive their records). @default 512 */
  receiptsKept: 512,
};

export type DurableOutboxOptions = Partial<typeof durableOutboxDefaults> & {
  logger: AgentLogger;
};

export const OUTBOX_FILE = 'outbox.log';
/** Messages set aside, one JSON object a line, for a human to look at. */
export const QUARANTINE_FILE = 'outbox.quarantine.jsonl';
const COMPACT_SUFFIX = '.compact';

interface DurableEntry extends OutboxEntry {
  seq: number;
  line: Buffer;
}

export class DurableOutbox implements Outbox {
  readonly file: string;
  readonly #options: typeof durableOutboxDefaults;
  readonly #log: AgentLogger;
  readonly #entries: DurableEntry[] = [];
  readonly #receipts: ReceiptSet;
  readonly #empty = new EmptyWaiters();
  #handle: FileHandle | undefined;
  /** Journal length in bytes: where the next record starts. */
  #size = 0;
  #nextSeq = 1;
  #dropped = 0;
  #deadRecords = 0;
  #deadBytes = 0;
  #chain: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(file: string, options: DurableOutboxOptions) {
    this.file = file;
    this.#log = options.logger;
    this.#options = { ...durableOutboxDefaults, ...withoutLogger(options) };
    this.#receipts = new ReceiptSet(this.#options.receiptsKept);
  }

  /** Opens (or creates) the journal in `dir` and replays what it holds. */
  static async open(dir: string, options: DurableOutboxOptions) {
    const outbox = new DurableOutbox(path.join(dir, OUTBOX_FILE), options);
    try {
      await fs.mkdir(dir, { recursive: true });
      await fs.rm(outbox.file + COMPACT_SUFFIX, { force: true });
      await outbox.#load();
    } catch (cause) {
      await outbox.#handle?.close().catch(() => undefined);
      if (cause instanceof OutboxError) throw cause;
      throw new OutboxError(
        OUTBOX_ERROR_CODES.io,
        `cannot open the outbox ${outbox.file}`,
        { cause },
      );
    }
    return outbox;
  }

  get size() {
    return this.#entries.length;
  }

  /** Queued messages, bytes they take, and messages dropped so far. */
  stats() {
    const bytes = this.#entries.reduce((sum, e) => sum + e.line.length, 0);
    return { queued: this.#entries.length, bytes, dropped: this.#dropped };
  }

  add(message: OutboxMessage): Promise<OutboxEntry> {
    if (this.#closed) return Promise.reject(closedError());
    if (message.request) return Promise.resolve(this.#addRequest(message));
    return this.#serial(() => this.#append(message));
  }

  /** Where set-aside messages go (QUARANTINE_FILE next to the journal). */
  get quarantineFile() {
    return path.join(path.dirname(this.file), QUARANTINE_FILE);
  }

  unsent(): OutboxEntry[] {
    return this.#entries.filter((e) => e.sentOn === undefined);
  }

  acknowledge(entry: OutboxEntry) {
    const at = this.#entries.indexOf(entry as DurableEntry);
    if (at < 0 || this.#closed) return;

    const [done] = this.#entries.splice(at, 1) as [DurableEntry];
    done.resolve();
    if (this.#entries.length === 0) this.#empty.notify();
    if (done.request) return;
    this.#serial(() => this.#retire(done, 'ack')).catch((error) => {
      // Only costs a resend with the same reportId after a restart.
      this.#log.warn('outbox ack not written', { error, seq: done.seq });
    });
  }

  setAside(entry: OutboxEntry, reason: string) {
    const at = this.#entries.indexOf(entry as DurableEntry);
    if (at < 0 || this.#closed) return;

    const [aside] = this.#entries.splice(at, 1) as [DurableEntry];
    aside.reject(setAsideError(reason));
    if (this.#entries.length === 0) this.#empty.notify();
    this.#log.warn('outbox message set aside', {
      code: OUTBOX_ERROR_CODES.setAside,
      topic: aside.topic,
      seq: aside.seq,
      reason,
      file: this.quarantineFile,
    });
    this.#serial(() => this.#quarantine(aside, reason)).catch((error) => {
      this.#log.warn('outbox quarantine not written', {
        error,
        seq: aside.seq,
      });
    });
  }

  requeue(connection: number) {
    for (const entry of this.#entries) {
      if (entry.sentOn === connection) entry.sentOn = undefined;
    }
  }

  empty(): Promise<void> {
    return this.#empty.wait(this.#entries.length === 0);
  }

  rejectAll(error: Error) {
    for (const entry of this.#entries) entry.reject(error);
    this.#empty.notify();
  }

  hasReceipt(receipt: string) {
    return this.#receipts.has(receipt);
  }

  /** Finishes the writes already asked for and closes; records stay. */
  async close() {
    if (this.#closed) return;
    this.#closed = true;
    await this.#chain.catch(() => undefined);
    await this.#handle?.close().catch(() => undefined);
    this.#handle = undefined;
    this.#empty.notify();
  }

  #serial<T>(step: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(step);
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #load() {
    const data = await readOrEmpty(this.file);
    const journal = readJournal(data);
    if (journal.validLength < data.length) {
      await fs.truncate(this.file, journal.validLength);
      // A write cut short by kill -9 or power loss: never acknowledged.
      this.#log.warn('outbox torn tail cut', {
        code: 'outbox-torn-tail',
        bytes: data.length - journal.validLength,
      });
    }
    if (journal.corrupt > 0) {
      this.#log.warn('outbox records corrupt, skipped', {
        code: 'outbox-corrupt-record',
        records: journal.corrupt,
      });
    }

    const replayed = replay(journal.records);
    this.#restore(replayed);
    this.#size = journal.validLength;
    this.#handle = await open(this.file, 'a', 0o600);
    if (data.length === 0) await syncFolder(path.dirname(this.file));
    if (this.#deadRecords > 0) await this.#compact();
    this.#log.info('outbox opened', {
      queued: this.#entries.length,
      file: this.file,
    });
  }

  #restore(replayed: Replayed) {
    this.#nextSeq = replayed.nextSeq;
    this.#dropped = replayed.dropped;
    this.#deadRecords = replayed.dead;
    for (const receipt of replayed.receipts) this.#receipts.add(receipt);
    for (const put of replayed.puts.values()) {
      if (isRequestTopic(put.topic)) {
        // Journaled by an older agent; its asker is gone.
        this.#deadRecords++;
        continue;
      }
      const entry = newEntry(messageOf(put)) as DurableEntry;
      entry.seq = put.seq;
      entry.line = encodeRecord(put);
      this.#entries.push(entry);
    }
  }

  async #append(message: OutboxMessage): Promise<OutboxEntry> {
    const handle = this.#openHandle();
    const seq = this.#nextSeq;
    const record = putRecord(seq, message);
    const line = encodeRecord(record);
    const incoming = overflowItem(seq, message, line.length);
    const decision = decideOverflow(
      this.#entries
        .filter((e) => !e.request)
        .map((e) => overflowItem(e.seq, e, e.line.length)),
      incoming,
      this.#options,
    );
    if (!decision.accept) throw this.#refuse(incoming);

    const dropLines = decision.drop.map((d) =>
      encodeRecord({ t: 'drop', seq: d.seq }),
    );
    await this.#write(handle, Buffer.concat([...dropLines, line]), true);
    this.#nextSeq = seq + 1;
    this.#dropEntries(decision.drop);

    const entry = newEntry(message) as DurableEntry;
    entry.seq = seq;
    entry.line = line;
    this.#entries.push(entry);
    if (message.receipt) this.#receipts.add(message.receipt);
    return entry;
  }

  #addRequest(message: OutboxMessage): OutboxEntry {
    supersede(this.#entries, message);
    const entry = newEntry(message) as DurableEntry;
    entry.seq = 0;
    entry.line = Buffer.alloc(0);
    this.#entries.push(entry);
    return entry;
  }

  /** Appends to the quarantine file, then drops the record for good. */
  async #quarantine(entry: DurableEntry, reason: string) {
    const line = JSON.stringify({
      at: isoTime(Date.now()),
      reason,
      seq: entry.seq,
      topic: entry.topic,
      payload: entry.payload,
      ...(entry.receipt ? { receipt: entry.receipt } : {}),
    });
    await fs.appendFile(this.quarantineFile, `${line}\n`, { mode: 0o600 });
    if (!entry.request) await this.#retire(entry, 'drop');
  }

  #openHandle() {
    if (!this.#handle) throw closedError();
    return this.#handle;
  }

  #refuse(incoming: OverflowItem) {
    this.#log.warn('outbox full, message refused', {
      code: OUTBOX_ERROR_CODES.full,
      group: incoming.group,
      queued: this.#entries.length,
    });
    return new OutboxError(
      OUTBOX_ERROR_CODES.full,
      `outbox full (${this.#options.maxRecords} records or ` +
        `${this.#options.maxBytes} bytes) and every queued group has one message`,
    );
  }

  #dropEntries(dropped: OverflowItem[]) {
    for (const item of dropped) {
      const at = this.#entries.findIndex((e) => e.seq === item.seq);
      const [entry] = this.#entries.splice(at, 1);
      this.#dropped++;
      this.#deadRecords += 2;
      this.#deadBytes += item.bytes;
      this.#log.warn('outbox full, older message dropped', {
        code: OUTBOX_ERROR_CODES.dropped,
        group: item.group,
        routine: item.routine,
        seq: item.seq,
      });
      entry?.reject(
        new OutboxError(
          OUTBOX_ERROR_CODES.dropped,
          `dropped from the full outbox for a newer ${item.group} message`,
        ),
      );
    }
  }

  /**
   * Writes the record that ends a put: an ack (not flushed, see above) or
   * a drop (flushed: the message must not come back).
   */
  async #retire(entry: DurableEntry, t: 'ack' | 'drop') {
    await this.#write(
      this.#openHandle(),
      encodeRecord({ t, seq: entry.seq }),
      t === 'drop',
    );
    this.#deadRecords += 2;
    this.#deadBytes += entry.line.length;
    const { compactAfterRecords, compactAfterBytes } = this.#options;
    if (
      this.#deadRecords >= compactAfterRecords ||
      this.#deadBytes >= compactAfterBytes
    ) {
      await this.#compact();
    }
  }

  async #write(handle: FileHandle, data: Buffer, sync: boolean) {
    try {
      await handle.write(data);
      if (sync) await handle.datasync();
      this.#size += data.length;
    } catch (cause) {
      // A partial line would swallow the next record: cut it off again.
      await handle.truncate(this.#size).catch(() => undefined);
      throw new OutboxError(
        OUTBOX_ERROR_CODES.io,
        `cannot write the outbox ${this.file}`,
        { cause },
      );
    }
  }

  /** Rewrites the journal with only what is still queued. */
  async #compact() {
    const temp = this.file + COMPACT_SUFFIX;
    const meta = encodeRecord({
      t: 'meta',
      nextSeq: this.#nextSeq,
      receipts: this.#receipts.values(),
      dropped: this.#dropped,
    });
    const data = Buffer.concat([meta, ...this.#entries.map((e) => e.line)]);
    await writeSynced(temp, data);

    // Windows cannot rename over an open file: close, rename, reopen.
    await this.#handle?.close();
    this.#handle = undefined;
    await fs.rename(temp, this.file);
    await syncFolder(path.dirname(this.file));
    this.#handle = await open(this.file, 'a', 0o600);
    this.#size = data.length;
    this.#log.debug('outbox compacted', {
      queued: this.#entries.length,
      deadRecords: this.#deadRecords,
    });
    this.#deadRecords = 0;
    this.#deadBytes = 0;
  }
}

function closedError() {
  return new OutboxError(OUTBOX_ERROR_CODES.closed, 'the outbox is closed');
}

function overflowItem(
  seq: number,
  message: OutboxMessage,
  bytes: number,
): OverflowItem {
  return {
    seq,
    group: message.group ?? message.topic,
    routine: message.routine === true,
    bytes,
  };
}

function withoutLogger(options: DurableOutboxOptions) {
  const { logger: _logger, ...rest } = options;
  return Object.fromEntries(
    Object.entries(rest).filter(([, value]) => value !== undefined),
  );
}
