import {
  appendFileSync,
  existsSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import type { StoredMessage } from './types.js';

type Entry = { put: StoredMessage } | { del: string } | { purge: true };

/**
 * An append-only file of a queue's changes, one JSON line each. Appends are
 * synchronous so that a message acknowledged to a sender is on disk. A torn
 * last line (a crash mid-write) is skipped on replay. On open the journal is
 * rewritten with only the live messages.
 */
export class Journal {
  readonly #file: string;
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

  delete(messageIds: readonly string[]) {
    this.#append(messageIds.map((id) => ({ del: id })));
  }

  purge() {
    this.#append([{ purge: true }]);
  }

  /** Rewrites the file with `live` only (write to a temp file, rename). */
  compact(live: readonly StoredMessage[]) {
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

  #append(entries: Entry[]) {
    if (entries.length === 0) return;
    const text = entries.map((e) => `${JSON.stringify(e)}\n`).join('');
    appendFileSync(this.#file, text);
    this.#entries += entries.length;
  }
}

function parseLine(line: string): Entry | undefined {
  if (!line.trim()) return undefined;
  try {
    return JSON.parse(line) as Entry;
  } catch {
    return undefined;
  }
}
