import type { CatalogueEntry } from './schema.js';

const STATFS = 'https://man7.org/linux/man-pages/man2/statfs.2.html';
const WINRE = 'https://support.microsoft.com/help/5028997';
const BTRFS = 'https://btrfs.readthedocs.io/en/latest/btrfs-filesystem.html';

/** Lists the directories with the most files on the volume of `/`. */
export const INODE_COUNT_COMMAND = 'du --inodes -x -d 3 / | sort -n | tail';

export const DISK_ENTRIES: CatalogueEntry[] = [
  {
    code: 'disk.below-floor',
    title: 'Volume has less free space than the policy floor',
    meaning:
      'Bytes a user may still write on the volume are below the absolute ' +
      'floor (200 MB by default). Writes, updates and paging start to ' +
      'fail. On a volume too small for the floor (under 4 GB at the ' +
      'defaults) the floor is half the percent threshold instead.',
    severity: 'critical',
    source: STATFS,
    remedies: { any: [{ remedy: 'cleanup', params: {} }] },
  },
  {
    code: 'disk.low-percent',
    title: 'Volume is below the policy percent free',
    meaning:
      'The volume still has more than the floor but less than the policy ' +
      'share of its size free (10 % by default). Not applied to recovery ' +
      'and EFI partitions, which are small and meant to be nearly full.',
    severity: 'warning',
    source: STATFS,
    remedies: { any: [{ remedy: 'cleanup', params: {} }] },
  },
  {
    code: 'disk.inodes-exhausted',
    title: 'Volume is running out of inodes',
    meaning:
      'Free inodes are below the policy share: file creation fails with ' +
      '"No space left on device" although bytes are free. Deleting large ' +
      'files does not help; directories with huge file counts must go. ' +
      'The first step is a ticket that names them (file counts per ' +
      'directory on the full volume); the temp cleanup comes second and ' +
      'helps only when temp folders hold the files.',
    severity: 'critical',
    source: STATFS,
    remedies: {
      any: [
        {
          remedy: 'find-inode-heavy-dirs-ticket',
          params: { command: INODE_COUNT_COMMAND },
        },
        { remedy: 'cleanup', params: {} },
      ],
    },
  },
  {
    code: 'disk.recovery-too-small',
    title: 'Recovery partition too small for WinRE servicing',
    meaning:
      'The WinRE recovery partition has less free space than the WinRE ' +
      'update needs (about 250 MB); KB5034441-style updates fail with ' +
      '0x80070643 until it is resized.',
    severity: 'warning',
    source: WINRE,
    remedies: {},
  },
  {
    code: 'disk.efi-nearly-full',
    title: 'EFI System Partition nearly full',
    meaning:
      'The EFI System Partition has less than 15 MB free; boot-file ' +
      'servicing fails with 0x800F0922 when it is nearly full (reported at ' +
      'about 10 MB or less).',
    severity: 'warning',
    source:
      'https://learn.microsoft.com/troubleshoot/windows-server/' +
      'installing-updates-features-roles/error-0x800f0922-installing-windows-updates',
    remedies: {},
  },
  {
    code: 'disk.btrfs-metadata-full',
    title: 'btrfs metadata full with no room for another chunk',
    meaning:
      'The metadata chunks of a btrfs volume are full (used plus the ' +
      'global reserve) and the device has no unallocated space for a new ' +
      'one: creating or changing files fails with "No space left on ' +
      'device" although df still shows free data space. A filtered ' +
      'balance of mostly empty data chunks (`btrfs balance start ' +
      '-dusage=10`) returns space to the unallocated pool.',
    severity: 'critical',
    source: BTRFS,
    remedies: { any: [{ remedy: 'cleanup', params: {} }] },
  },
  {
    code: 'disk.btrfs-unallocated-low',
    title: 'btrfs device space almost all allocated',
    meaning:
      'Nearly all of the btrfs device is allocated to data or metadata ' +
      'chunks. Writes still fit in the allocated chunks, but the volume ' +
      'cannot give metadata more room when it runs out; that is how a ' +
      'btrfs volume becomes full with free data space.',
    severity: 'warning',
    source: BTRFS,
    remedies: { any: [{ remedy: 'cleanup', params: {} }] },
  },
  {
    code: 'disk.full-forecast',
    title: 'Volume forecast to fill within the policy horizon',
    meaning:
      'A least-squares line through the recent free-space samples of the ' +
      'volume reaches the floor within the policy horizon (14 days by ' +
      'default). The volume is not full yet; at this rate it will be.',
    severity: 'warning',
    source: 'docs/agent.md',
    remedies: { any: [{ remedy: 'cleanup', params: {} }] },
  },
];
