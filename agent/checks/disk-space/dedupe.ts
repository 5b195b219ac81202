/**
 * One entry per backing device. A file system mounted twice (bind mounts,
 * btrfs subvolumes, Silverblue's /usr) is one pool of free space: judging
 * each mount would raise one finding per mount for one full disk. The
 * shortest mount path stands for the device (/ before /home/bind); equal
 * lengths fall back to alphabetical order so that the pick is stable.
 */
export interface DeviceMount {
  /** The device identity: major:minor, or a /dev path from df. */
  deviceKey: string;
  mountPoint: string;
}

export interface Deduped<T> {
  kept: T[];
  duplicates: T[];
}

export function dedupeByDevice<T extends DeviceMount>(
  mounts: readonly T[],
): Deduped<T> {
  const best = new Map<string, T>();
  for (const mount of mounts) {
    const current = best.get(mount.deviceKey);
    if (!current || shorter(mount.mountPoint, current.mountPoint)) {
      best.set(mount.deviceKey, mount);
    }
  }

  const kept = mounts.filter((m) => best.get(m.deviceKey) === m);
  const duplicates = mounts.filter((m) => best.get(m.deviceKey) !== m);
  return { kept, duplicates };
}

function shorter(a: string, b: string) {
  return a.length < b.length || (a.length === b.length && a < b);
}
