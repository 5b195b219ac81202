/**
 * The maintenance policy a device runs with. For now the MSP defaults; the
 * inheritance chain (MSP → client → site → device) grows in issue 5.
 */
export interface DiskPolicy {
  /** Minimum free bytes on every monitored volume. @default 200 MB */
  floorBytes: number;
  /** Minimum free percent on data and system volumes. @default 10 */
  minFreePercent: number;
  /** Minimum free percent of inodes where the file system has them. @default 5 */
  minFreeInodesPercent: number;
  /** Free bytes the recovery partition needs for WinRE updates. @default 250 MB */
  recoveryFloorBytes: number;
}

export interface Policy {
  version: number;
  disk: DiskPolicy;
}

export const MB = 1024 * 1024;

export const DEFAULT_POLICY: Policy = {
  version: 1,
  disk: {
    floorBytes: 200 * MB,
    minFreePercent: 10,
    minFreeInodesPercent: 5,
    recoveryFloorBytes: 250 * MB,
  },
};
