import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as z from 'zod';
import { StateError } from '../errors.js';
import type { AgentLogger } from '../logger.js';

/**
 * One JSON document a check keeps in the agent's state folder between runs
 * (SMART baselines, disk-space history). Separate from the run-time file
 * so that a check's memory never competes with the scheduler's writes.
 *
 * Writes are atomic: a temp file beside the target, flushed, renamed over
 * it. A missing file is the empty document; an unreadable one is logged
 * and replaced on the next write (the cost is one run without history).
 */
export class CheckStateFile<T> {
  readonly file: string;
  readonly #schema: z.ZodType<T>;
  readonly #empty: () => T;
  #writes: Promise<void> = Promise.resolve();

  constructor(
    stateDir: string,
    name: string,
    schema: z.ZodType<T>,
    empty: () => T,
  ) {
    this.file = path.join(stateDir, name);
    this.#schema = schema;
    this.#empty = empty;
  }

  async read(logger: AgentLogger): Promise<T> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return this.#empty();
      }
      logger.warn('check state unreadable', { file: this.file, error });
      return this.#empty();
    }

    const parsed = this.#schema.safeParse(safeJson(text));
    if (parsed.success) return parsed.data;
    logger.warn('check state invalid, starting afresh', { file: this.file });
    return this.#empty();
  }

  /** Replaces the document; writes are queued so renames never race. */
  write(value: T): Promise<void> {
    this.#writes = this.#writes
      .catch(() => undefined)
      .then(() => writeAtomically(this.file, value));
    return this.#writes;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function writeAtomically(file: string, value: unknown) {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await fs.open(temp, 'w', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(value)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (cause) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw new StateError(`cannot write ${file}`, { cause });
  }
}
