import { promises as fs } from 'node:fs';
import { open } from 'node:fs/promises';

/** The file's bytes, or none when it does not exist yet. */
export async function readOrEmpty(file: string) {
  try {
    return await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return Buffer.alloc(0);
    }
    throw error;
  }
}

/** Writes a whole file and flushes it before resolving. */
export async function writeSynced(file: string, data: Buffer) {
  const handle = await open(file, 'w', 0o600);
  try {
    await handle.write(data);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/**
 * Makes a create or rename in `dir` durable. Windows cannot open a folder
 * for this and persists names with the file itself, so a failure is fine.
 */
export async function syncFolder(dir: string) {
  const handle = await open(dir, 'r').catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close();
}
