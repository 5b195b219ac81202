import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import type { StoredMessage } from './types.js';

/** What a receive changes: the message's body is on file already. */
type Receipt = Pick<
  StoredMessage,
  'messageId' | 'receiveCount' | 'firstReceiveTimestamp' | 'visibleAt'
> & { receipt: string };

type Entry =
  | { put: StoredMessage }
  | { recv: Receipt }
  | { del: string }
  | { purge: true };

/**
 * An append-only file of a queue's changes, one JSON line each. Appends are
 * synchronous so that a message acknowledged to a sender is on disk. A torn
 * last line (a crash mid-write) is skipped on replay. On open the journal is
 * rewritten with only the live messages. The file stays open between
 * appends, and a receive writes what it changed, not the message again.
 */
export class Journal {
  readonly #file: string;
  #fd: number | undefined;
  #entries = 0;
  #live = 0;

  constructor(file: string) {
    this.#file = file;
  }

  /** Replays the file, compacts it and returns the live messages. */
  open(): StoredMessage[] {
    const messages = new Map<string, StoredMessage>();
    if (existsSync(this.#file)) {
      for (const line of readFileSync(this.#file, 'utf8').split('\n')) {
        const entry = parseLine(line);
        if (!entry) continue;
        if ('put' in entry) messages.set(entry.put.messageId, entry.put);
        else if ('recv' in entry) applyReceipt(messages, entry.recv);
        else if ('del' in entry) messages.delete(entry.del);
        else messages.clear();
      }
    }
    const live = [...messages.values()];
    this.compact(live);
    return live;
  }

  put(messages: readonly StoredMessage[]) {
    this.#append(messages.map((m) => ({ put: m })));
  }

  /** Records receives of messages already on file. */
  received(messages: readonly StoredMessage[]) {
    this.#append(
      messages.map((m) => ({
        recv: {
          messageId: m.messageId,
          receiveCount: m.receiveCount,
          firstReceiveTimestamp: m.firstReceiveTimestamp,
          visibleAt: m.visibleAt,
          receipt: m.receipt ?? '',
        },
      })),
    );
  }

  delete(messageIds: readonly string[]) {
    this.#append(messageIds.map((id) => ({ del: id })));
  }

  purge() {
    this.#append([{ purge: true }]);
  }

  /** Rewrites the file with `live` only (write to a temp file, rename). */
  compact(live: readonly StoredMessage[]) {
    this.close();
    const temp = `${this.#file}.tmp`;
    const lines = live.map((m) => `${JSON.stringify({ put: m })}\n`);
    writeFileSync(temp, lines.join(''));
    renameSync(temp, this.#file);
    this.#entries = live.length;
    this.#live = live.length;
  }

  /** True when dead entries outnumber live ones enough to rewrite. */
  needsCompaction(liveCount: number) {
    this.#live = liveCount;
    return this.#entries > 4 * this.#live + 1000;
  }

  /** Closes the file; the next append opens it again. */
  close() {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }

  #append(entries: Entry[]) {
    if (entries.length === 0) return;
    const text = entries.map((e) => `${JSON.stringify(e)}\n`).join('');
    this.#fd ??= openSync(this.#file, 'a');
    writeSync(this.#fd, text);
    this.#entries += entries.length;
  }
}

function applyReceipt(messages: Map<string, StoredMessage>, r: Receipt) {
  const message = messages.get(r.messageId);
  if (message) Object.assign(message, r);
}

function parseLine(line: string): Entry | undefined {
  if (!line.trim()) return undefined;
  try {
    return JSON.parse(line) as Entry;
  } catch {
    return undefined;
  }
}
