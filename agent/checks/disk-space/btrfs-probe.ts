import type { Volume } from '../../../core/index.js';
import type { CommandRunner } from '../../platform/command.js';
import { type BtrfsUsage, parseBtrfsUsage } from './btrfs-usage.js';

export const btrfsProbeDefaults = {
  /** Limit of one `btrfs filesystem usage` call, ms. @default 15_000 */
  timeoutMs: 15_000,
};

export type BtrfsProbed =
  | { id: string; ok: true; usage: BtrfsUsage }
  | { id: string; ok: false; reason: string; exitCode: number | null };

/**
 * `btrfs filesystem usage -b <mount>` for every btrfs volume the disk
 * probe kept (one per device, so each file system is read once).
 */
export async function probeBtrfs(
  run: CommandRunner,
  volumes: readonly Volume[],
  timeoutMs = btrfsProbeDefaults.timeoutMs,
): Promise<BtrfsProbed[]> {
  const probed: BtrfsProbed[] = [];
  for (const volume of volumes) {
    if (volume.fsType !== 'btrfs') continue;
    const mount = volume.mount ?? volume.id;
    const result = await run('btrfs', ['filesystem', 'usage', '-b', mount], {
      timeoutMs,
      env: { ...process.env, LC_ALL: 'C' },
    });

    const usage = result.timedOut ? undefined : parseBtrfsUsage(result.stdout);
    if (usage) {
      probed.push({ id: volume.id, ok: true, usage });
      continue;
    }
    const reason = result.spawnError
      ? result.spawnError
      : result.timedOut
        ? `timed out after ${timeoutMs} ms`
        : result.stderr.trim().slice(0, 200) || 'no usage figures';
    probed.push({
      id: volume.id,
      ok: false,
      reason,
      exitCode: result.exitCode,
    });
  }
  return probed;
}
