import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { isoTime } from '../../core/iso-time.js';
import { StateError } from '../errors.js';
import type { AgentLogger } from '../logger.js';

/**
 * What the agent remembers across restarts: when each check last finished
 * (sent in hello), plus named sections other parts own and validate
 * themselves (the scheduler keeps its completed cycles in `scheduler`).
 *
 * The file is replaced atomically: written to a temp file beside it,
 * flushed to disk, then renamed over the old one, so a crash or power loss
 * leaves either the old state or the new one, never half of each.
 */
export const STATE_FILE = 'agent-state.json';

const stateSchema = z.object({
  v: z.literal(1),
  lastRuns: z.record(z.string(), z.iso.datetime({ offset: true })),
  sections: z.record(z.string(), z.unknown()).optional(),
});

export type AgentState = z.infer<typeof stateSchema>;

const EMPTY: AgentState = { v: 1, lastRuns: {} };

export class StateStore {
  readonly file: string;
  #state: AgentState;
  #writes: Promise<void> = Promise.resolve();

  private constructor(file: string, state: AgentState) {
    this.file = file;
    this.#state = state;
  }

  /** Opens the state folder, creating it; a corrupt file starts afresh. */
  static async open(dir: string, logger: AgentLogger) {
    const file = path.join(dir, STATE_FILE);
    try {
      await fs.mkdir(dir, { recursive: true });
    } catch (cause) {
      throw new StateError(`cannot create the state folder ${dir}`, { cause });
    }
    return new StateStore(file, await readState(file, logger));
  }

  lastRuns(): Record<string, string> {
    return { ...this.#state.lastRuns };
  }

  /** Records a finished run; writes are queued so renames never race. */
  recordRun(kind: string, finishedAt: Date): Promise<void> {
    const lastRuns = { ...this.#state.lastRuns };
    lastRuns[kind] = isoTime(finishedAt);
    this.#state = { ...this.#state, lastRuns };
    return this.#save();
  }

  /** A section as last written, unvalidated: its owner parses it. */
  section(name: string): unknown {
    return this.#state.sections?.[name];
  }

  /** Replaces a section; the whole file is replaced atomically. */
  writeSection(name: string, value: unknown): Promise<void> {
    const sections = { ...this.#state.sections, [name]: value };
    this.#state = { ...this.#state, sections };
    return this.#save();
  }

  #save(): Promise<void> {
    const snapshot = this.#state;
    this.#writes = this.#writes
      .catch(() => undefined)
      .then(() => writeAtomically(this.file, snapshot));
    return this.#writes;
  }
}

async function readState(file: string, logger: AgentLogger) {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY;
    throw new StateError(`cannot read ${file}`, { cause: error });
  }

  try {
    return stateSchema.parse(JSON.parse(text));
  } catch (error) {
    // Losing the run history only makes the next cycles run early.
    logger.warn('state file unreadable, starting afresh', { file, error });
    return EMPTY;
  }
}

async function writeAtomically(file: string, state: AgentState) {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await fs.open(temp, 'w', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`);
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
