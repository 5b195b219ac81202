import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Volume } from '../../../core/index.js';
import { ProbeError } from '../../errors.js';
import {
  type MountInfoEntry,
  parseMountInfo,
} from '../../platform/linux/mountinfo.js';
import { classifyMount, SKIP_REASONS } from './classify-mount.js';
import { dedupeByDevice } from './dedupe.js';
import type { ProbedVolumes, SkippedVolume } from './types.js';

/**
 * The volumes of the Linux machine the agent runs on: the mount table from
 * /proc/self/mountinfo, filtered by classifyMount, one entry per backing
 * device (major:minor), measured with statfs(2).
 *
 * The numbers are those `df -B1` prints: size = f_blocks × f_bsize,
 * free = f_bfree × f_bsize (root may use all of it), available =
 * f_bavail × f_bsize (what a user may write). Linux file systems report
 * f_frsize = f_bsize, which is the size df multiplies by.
 */
export const linuxProbeDefaults = {
  mountInfoPath: '/proc/self/mountinfo',
  /** Where removable block devices are flagged. */
  sysfsRoot: '/sys',
};

export type LinuxProbeOptions = Partial<typeof linuxProbeDefaults>;

interface Candidate extends MountInfoEntry {
  deviceKey: string;
  role: Volume['role'];
}

export async function probeLinuxVolumes(
  options: LinuxProbeOptions = {},
): Promise<ProbedVolumes> {
  const config = { ...linuxProbeDefaults, ...options };
  const skipped: SkippedVolume[] = [];
  const skip = (id: string, reason: string) => skipped.push({ id, reason });

  const mounts = visibleMounts(await readMountInfo(config.mountInfoPath));
  const classified = await Promise.all(
    mounts.map(async (m) => ({ m, reason: await skipReason(m, config) })),
  );
  const candidates: Candidate[] = [];
  for (const { m, reason } of classified) {
    if (typeof reason === 'string') skip(m.mountPoint, reason);
    else candidates.push({ ...m, ...reason });
  }

  const { kept, duplicates } = dedupeByDevice(candidates);
  for (const d of duplicates) skip(d.mountPoint, SKIP_REASONS.duplicate);

  const volumes: Volume[] = [];
  for (const mount of kept) {
    const measured = await measure(mount);
    if (typeof measured === 'string') skip(mount.mountPoint, measured);
    else volumes.push(measured);
  }
  return { volumes, skipped };
}

async function readMountInfo(file: string) {
  try {
    return parseMountInfo(await fs.readFile(file, 'utf8'));
  } catch (error) {
    throw new ProbeError('probe-failed', 'cannot read the mount table', {
      file,
      error: (error as NodeJS.ErrnoException).code ?? String(error),
    });
  }
}

/**
 * A later mount on the same path hides the earlier one (mountinfo lists
 * mounts in the order they were made); statfs sees only the top one.
 */
function visibleMounts(entries: MountInfoEntry[]) {
  const top = new Map<string, MountInfoEntry>();
  for (const entry of entries) top.set(entry.mountPoint, entry);
  return [...top.values()];
}

/** A skip reason, or the facts the mount is kept with. */
async function skipReason(
  mount: MountInfoEntry,
  config: typeof linuxProbeDefaults,
): Promise<string | { deviceKey: string; role: Volume['role'] }> {
  const verdict = classifyMount({
    mountPoint: mount.mountPoint,
    source: mount.source,
    fsType: mount.fsType,
    readOnly: mount.options.includes('ro'),
  });
  if (!verdict.monitored) return verdict.reason;
  if (await isRemovable(mount, config.sysfsRoot)) {
    return SKIP_REASONS.removable;
  }
  // Containers bind single files (/etc/hosts) from the host's disk.
  if (await isFile(mount.mountPoint)) return SKIP_REASONS.singleFile;

  return { deviceKey: `${mount.major}:${mount.minor}`, role: verdict.role };
}

/**
 * USB sticks and SD cards are flagged removable on their disk (the parent
 * of a partition) in sysfs. USB hard disks are not, and are kept, as
 * Windows keeps them as fixed drives.
 */
async function isRemovable(mount: MountInfoEntry, sysfsRoot: string) {
  if (mount.major === 0) return false;

  const link = path.join(
    sysfsRoot,
    'dev/block',
    `${mount.major}:${mount.minor}`,
  );
  const device = await fs.realpath(link).catch(() => undefined);
  // No sysfs entry (device-mapper, virtual disks): a fixed disk.
  if (!device) return false;

  for (const dir of [device, path.dirname(device)]) {
    const flag = await fs
      .readFile(path.join(dir, 'removable'), 'utf8')
      .catch(() => '');
    if (flag.trim() === '1') return true;
  }
  return false;
}

async function isFile(mountPoint: string) {
  try {
    return !(await fs.stat(mountPoint)).isDirectory();
  } catch {
    return false;
  }
}

async function measure(mount: Candidate): Promise<Volume | string> {
  let stats: Awaited<ReturnType<typeof statfsBig>>;
  try {
    stats = await statfsBig(mount.mountPoint);
  } catch {
    return SKIP_REASONS.unreadable;
  }
  if (stats.blocks === 0n) return SKIP_REASONS.noSize;

  const volume: Volume = {
    id: mount.mountPoint,
    mount: mount.mountPoint,
    device: mount.source.slice(0, 256),
    fsType: mount.fsType.slice(0, 32),
    role: mount.role,
    totalBytes: Number(stats.blocks * stats.bsize),
    freeBytes: Number(stats.bfree * stats.bsize),
    availableBytes: Number(stats.bavail * stats.bsize),
  };
  // vfat and btrfs report no inode table (0 files): not applicable.
  if (stats.files > 0n) {
    volume.inodesTotal = Number(stats.files);
    volume.inodesFree = Number(stats.ffree);
  }
  return volume;
}

/** Big integers: a multi-terabyte volume overflows 32-bit block counts. */
function statfsBig(mountPoint: string) {
  return fs.statfs(mountPoint, { bigint: true });
}
