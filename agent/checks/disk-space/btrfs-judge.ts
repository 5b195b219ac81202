import { type Finding, MB } from '../../../core/index.js';
import { findingFor } from '../../../core/judgement.js';
import type { BtrfsUsage } from './btrfs-usage.js';

const GB = 1024 * MB;

export const btrfsJudgeDefaults = {
  /**
   * Unallocated device space below which btrfs may not fit another chunk:
   * a data chunk is 1 GiB on volumes over 50 GiB. @default 1 GiB
   */
  minUnallocatedBytes: GB,
  /**
   * On small volumes the chunks are about a tenth of the device, so the
   * floor is this share of the device size when that is less. @default 0.05
   */
  smallVolumeUnallocatedShare: 0.05,
  /**
   * Metadata used plus the global reserve (carved out of metadata) at or
   * above this share of the metadata chunks is full: the recorded volume
   * refused new files at 96.5 %. @default 0.9
   */
  metadataFullShare: 0.9,
};

export type BtrfsJudgeOptions = typeof btrfsJudgeDefaults;

/**
 * The btrfs findings of one volume. Metadata that is full with no room for
 * another chunk is critical whatever df says: new files fail with ENOSPC.
 * Low unallocated space alone is a warning: the chunks allocated so far
 * still take writes, but the volume cannot shift space between data and
 * metadata any more.
 */
export function judgeBtrfs(
  id: string,
  usage: BtrfsUsage,
  options: BtrfsJudgeOptions = btrfsJudgeDefaults,
): Finding[] {
  const floor = Math.min(
    options.minUnallocatedBytes,
    Math.floor(usage.deviceSize * options.smallVolumeUnallocatedShare),
  );
  if (usage.deviceUnallocated >= floor) return [];

  const detail = btrfsDetail(usage, floor);
  const share = metadataShare(usage);
  if (share !== undefined && share >= options.metadataFullShare) {
    return [
      findingFor('disk.btrfs-metadata-full', id, {
        title: `${id}: btrfs metadata ${pct(share)} full, no room to grow`,
        detail,
      }),
    ];
  }
  return [
    findingFor('disk.btrfs-unallocated-low', id, {
      title: `${id}: ${mib(usage.deviceUnallocated)} MB of the device unallocated`,
      detail,
    }),
  ];
}

/** Metadata used, with the global reserve, over the metadata chunks. */
export function metadataShare(usage: BtrfsUsage): number | undefined {
  const m = usage.metadata;
  if (!m || m.size === 0) return undefined;
  return Math.min(1, (m.used + usage.globalReserve) / m.size);
}

function btrfsDetail(usage: BtrfsUsage, floor: number) {
  const share = metadataShare(usage);
  return {
    unallocatedBytes: usage.deviceUnallocated,
    thresholdBytes: floor,
    ...(usage.metadata
      ? {
          metadataBytes: usage.metadata.size,
          metadataUsedBytes: usage.metadata.used,
          globalReserveBytes: usage.globalReserve,
          metadataPercent: share === undefined ? null : round1(share * 100),
        }
      : {}),
    ...(usage.freeEstimated === undefined
      ? {}
      : { freeEstimatedBytes: usage.freeEstimated }),
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const pct = (share: number) => `${round1(share * 100)} %`;
const mib = (n: number) => Math.round(n / MB);
