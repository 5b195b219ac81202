import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileKey } from './eligibility.js';

/**
 * The files that processes hold open, as dev:ino keys, read once per run
 * from /proc/<pid>/fd. On Linux an open file can be unlinked without error
 * and its space comes back only when the last holder closes it, so the
 * cleanup must know before it deletes.
 *
 * Known limitation: without root the agent sees only its own user's
 * processes, and files mapped into memory without an open descriptor are
 * not listed. The agent runs as root in production, and mapped-only files
 * in temp and cache folders are rare; reading /proc/<pid>/maps would close
 * the gap.
 */
export async function openFilesLinux(procRoot = '/proc'): Promise<Set<string>> {
  const open = new Set<string>();
  const pids = (await readdir(procRoot).catch(() => [])).filter((name) =>
    /^\d+$/.test(name),
  );

  for (const pid of pids) {
    const fdDir = join(procRoot, pid, 'fd');
    // A process may exit or deny access between the listing and the read.
    const fds = await readdir(fdDir).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await stat(join(fdDir, fd)).catch(() => undefined);
      if (target?.isFile()) open.add(fileKey(target));
    }
  }
  return open;
}
