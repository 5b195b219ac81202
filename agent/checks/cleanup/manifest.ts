import { type FileHandle, mkdir, open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isoTime } from '../../../core/iso-time.js';
import type { CleanupCategory } from './types.js';

/** One deleted file, one JSON line. */
export interface ManifestEntry {
  path: string;
  bytes: number;
  /** Modification time of what was deleted, ISO 8601. */
  mtime: string;
  category: CleanupCategory;
}

const defaults = {
  /** Manifests kept in the state folder; older ones are removed. */
  keep: 30,
};

/**
 * The record of what a real run deleted, written line by line as each file
 * goes, so that a run that crashes half-way still leaves a true account.
 * Files are named by start time and sort in time order.
 */
export class ManifestWriter {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(stateDir: string, now: Date): Promise<ManifestWriter> {
    const dir = join(stateDir, 'cleanup');
    await mkdir(dir, { recursive: true });
    await prune(dir, defaults.keep - 1);

    const stamp = isoTime(now).replace(/[:.]/g, '-');
    const path = join(dir, `manifest-${stamp}.jsonl`);
    // 'wx': a second run in the same millisecond must not mix its lines in.
    return new ManifestWriter(path, await open(path, 'wx'));
  }

  async append(entry: ManifestEntry): Promise<void> {
    await this.handle.appendFile(`${JSON.stringify(entry)}\n`);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

async function prune(dir: string, keep: number) {
  const names = (await readdir(dir))
    .filter((n) => /^manifest-.*\.jsonl$/.test(n))
    .sort();
  const old = names.slice(0, Math.max(0, names.length - keep));
  await Promise.all(old.map((n) => rm(join(dir, n), { force: true })));
}
