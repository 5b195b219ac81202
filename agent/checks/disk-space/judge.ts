import {
  DEFAULT_POLICY,
  type DiskPolicy,
  type Finding,
  MB,
  type Volume,
  verdictOf,
} from '../../../core/index.js';
import {
  bySeverity,
  findingFor,
  type Judgement,
} from '../../../core/judgement.js';

/**
 * The disk-space judge: volumes in, verdict and findings out. Pure. Each
 * volume is judged on its own, never on the machine's sum: one full volume
 * fails writes however empty the others are.
 *
 * Which rule applies depends on what the volume is for:
 *
 *   role                  space rules        inode rule
 *   system, data, boot    floor, percent     yes, where the fs has inodes
 *   recovery              recovery floor     (NTFS: none)
 *   efi                   ESP floor          (FAT: none)
 *
 * The percent rule would raise noise on small system partitions that are
 * meant to be nearly full; what matters there is whether servicing still
 * fits (WinRE updates, boot-file updates).
 */
export const judgeDefaults = {
  /**
   * Free bytes below which the EFI System Partition is nearly full. Boot
   * file servicing is reported to fail at about 10 MB free; 15 MB warns
   * while one more boot-manager update still fits. @default 15 MB
   */
  efiFloorBytes: 15 * MB,
  /**
   * On a volume too small for the absolute floor to mean anything (a 100 MB
   * mount-point volume, a 5 MB /run/lock), the floor shrinks to this share
   * of the percent threshold: below 10 % free warns, below 5 % is
   * critical. @default 0.5
   */
  smallVolumeFloorShare: 0.5,
} as const;

export type DiskJudgement = Judgement;

export function judgeDiskSpace(
  volumes: readonly Volume[],
  policy: DiskPolicy = DEFAULT_POLICY.disk,
): DiskJudgement {
  // No volume to judge is no evidence of health.
  if (volumes.length === 0) return { verdict: 'unknown', findings: [] };

  // Worst first: the critical volume is the one to read about.
  const findings = bySeverity(volumes.flatMap((v) => judgeVolume(v, policy)));
  const sizeless = volumes.some((v) => v.totalBytes === 0);
  const base = sizeless ? 'unknown' : 'ok';
  return { verdict: verdictOf(findings, base), findings };
}

function judgeVolume(volume: Volume, policy: DiskPolicy): Finding[] {
  // Size unknown (an empty CD drive, a `df -i` listing): inodes at most.
  if (volume.totalBytes === 0) {
    const inodes = judgeInodes(volume, policy);
    return inodes ? [inodes] : [];
  }

  const space = (() => {
    switch (volume.role) {
      case 'recovery':
        return judgeRecovery(volume, policy);
      case 'efi':
        return judgeEfi(volume);
      default:
        return judgeSpace(volume, policy);
    }
  })();
  const inodes = judgeInodes(volume, policy);
  return [space, inodes].filter((f): f is Finding => f !== undefined);
}

/** The floor, scaled down on volumes smaller than it makes sense for. */
export function effectiveFloor(totalBytes: number, policy: DiskPolicy) {
  const share = judgeDefaults.smallVolumeFloorShare;
  const scaled = (totalBytes * policy.minFreePercent * share) / 100;
  return Math.min(policy.floorBytes, Math.floor(scaled));
}

function judgeSpace(volume: Volume, policy: DiskPolicy) {
  const floor = effectiveFloor(volume.totalBytes, policy);
  const percent = freePercent(volume);
  const name = nameOf(volume);
  const free = size(volume.availableBytes);
  if (volume.availableBytes < floor) {
    return finding('disk.below-floor', volume, {
      title: `${name}: ${free} free, below the ${size(floor)} floor`,
      thresholdBytes: floor,
    });
  }
  const minimum = policy.minFreePercent;
  if (percent < minimum) {
    return finding('disk.low-percent', volume, {
      title: `${name}: ${percent.toFixed(1)} % free, below ${minimum} %`,
      thresholdPercent: minimum,
    });
  }
  return undefined;
}

function judgeRecovery(volume: Volume, policy: DiskPolicy) {
  if (volume.availableBytes >= policy.recoveryFloorBytes) return undefined;
  const free = size(volume.availableBytes);
  const needed = size(policy.recoveryFloorBytes);
  return finding('disk.recovery-too-small', volume, {
    title: `Recovery partition: ${free} free, WinRE updates need ${needed}`,
    thresholdBytes: policy.recoveryFloorBytes,
  });
}

function judgeEfi(volume: Volume) {
  const floor = judgeDefaults.efiFloorBytes;
  if (volume.availableBytes >= floor) return undefined;
  const free = size(volume.availableBytes);
  return finding('disk.efi-nearly-full', volume, {
    title: `EFI System Partition: ${free} free, below ${size(floor)}`,
    thresholdBytes: floor,
  });
}

function judgeInodes(volume: Volume, policy: DiskPolicy) {
  const { inodesTotal, inodesFree } = volume;
  // vfat, NTFS and btrfs have no fixed inode table: nothing to exhaust.
  if (!inodesTotal || inodesFree === undefined) return undefined;

  const percent = (inodesFree / inodesTotal) * 100;
  if (percent >= policy.minFreeInodesPercent) return undefined;
  return finding('disk.inodes-exhausted', volume, {
    title: `${nameOf(volume)}: ${inodesFree} of ${inodesTotal} inodes free`,
    inodesFree,
    inodesTotal,
    thresholdPercent: policy.minFreeInodesPercent,
  });
}

function finding(
  code: string,
  volume: Volume,
  extra: { title: string } & Record<string, unknown>,
): Finding {
  const { title, ...detail } = extra;
  const space =
    volume.totalBytes > 0
      ? {
          availableBytes: volume.availableBytes,
          totalBytes: volume.totalBytes,
          freePercent: Math.round(freePercent(volume) * 10) / 10,
        }
      : {};
  return findingFor(code, volume.id, {
    title,
    detail: {
      ...(volume.mount ? { mount: volume.mount } : {}),
      ...space,
      ...detail,
    },
  });
}

function freePercent(volume: Volume) {
  return (volume.availableBytes / volume.totalBytes) * 100;
}

function nameOf(volume: Volume) {
  return volume.mount ?? volume.label ?? volume.id;
}

/** Bytes as people read them in a title: MB below 1 GB, else GB. */
function size(bytes: number) {
  const gb = bytes / 1024 ** 3;
  return gb >= 1 ? `${gb.toFixed(1)} GB` : `${Math.round(bytes / MB)} MB`;
}
