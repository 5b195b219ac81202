import { promises as fs, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StoredShadow } from './shadow-document.js';

/**
 * The shadows by `<thing>/<shadow name>`, in memory and, with a file, on
 * disk: every change rewrites the file (temp file, flush, rename), so a
 * restart of the local stack keeps every policy it delivered. Writes are
 * coalesced: one in flight, one more queued whatever the changes.
 */
export class ShadowStore {
  readonly #shadows: Map<string, StoredShadow>;
  readonly #file: string | undefined;
  #writing: Promise<void> | undefined;
  #again = false;

  private constructor(shadows: Map<string, StoredShadow>, file?: string) {
    this.#shadows = shadows;
    this.#file = file;
  }

  /** Reads the file when it exists; without a file, memory only. */
  static open(file?: string): ShadowStore {
    if (!file) return new ShadowStore(new Map());
    let entries: [string, StoredShadow][] = [];
    try {
      entries = Object.entries(JSON.parse(readFileSync(file, 'utf8')));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return new ShadowStore(new Map(entries), file);
  }

  get(thing: string, name: string): StoredShadow | undefined {
    return this.#shadows.get(key(thing, name));
  }

  set(thing: string, name: string, shadow: StoredShadow): Promise<void> {
    this.#shadows.set(key(thing, name), shadow);
    return this.#save();
  }

  /** Resolves once what is in memory now is on disk. */
  async flushed(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  #save(): Promise<void> {
    if (!this.#file) return Promise.resolve();
    if (this.#writing) {
      this.#again = true;
      return this.#writing.then(() => this.flushed());
    }
    this.#writing = this.#write(this.#file).finally(() => {
      this.#writing = undefined;
      if (this.#again) {
        this.#again = false;
        void this.#save();
      }
    });
    return this.#writing;
  }

  async #write(file: string) {
    const temp = `${file}.tmp`;
    const body = JSON.stringify(Object.fromEntries(this.#shadows));
    await fs.mkdir(dirname(file), { recursive: true });
    const handle = await fs.open(temp, 'w');
    try {
      await handle.writeFile(body);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  }
}

function key(thing: string, name: string) {
  return `${thing}/${name}`;
}
