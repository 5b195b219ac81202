import * as z from 'zod';

/**
 * What a volume is for. Letterless recovery and EFI partitions are kept for
 * servicing checks (WinRE updates need about 250 MB free) but are not judged
 * against the percent-free rule.
 */
export const VOLUME_ROLES = [
  'data',
  'system',
  'recovery',
  'efi',
  'boot',
] as const;

export const volumeSchema = z
  .object({
    /** Stable identity: mount point on Unix, volume GUID path on Windows. */
    id: z.string().min(1).max(256),
    mount: z.string().max(256).optional(),
    device: z.string().max(256).optional(),
    fsType: z.string().max(32),
    label: z.string().max(64).optional(),
    role: z.enum(VOLUME_ROLES),
    totalBytes: z.number().int().nonnegative(),
    freeBytes: z.number().int().nonnegative(),
    /** Bytes an unprivileged user may still write (Unix reserve excluded). */
    availableBytes: z.number().int().nonnegative(),
    inodesTotal: z.number().int().nonnegative().optional(),
    inodesFree: z.number().int().nonnegative().optional(),
  })
  .strict();

export type Volume = z.infer<typeof volumeSchema>;

export const diskSpaceDataSchema = z
  .object({
    volumes: z.array(volumeSchema).max(32),
    /**
     * Volumes judged but left out of `volumes` to keep the report within
     * one 5 KB billing step; only volumes without findings are left out.
     */
    omittedVolumes: z.number().int().positive().optional(),
    /**
     * btrfs chunk allocation per btrfs volume: what statfs cannot show
     * (a btrfs volume can refuse new files with free data space).
     */
    btrfs: z
      .array(
        z
          .object({
            id: z.string().min(1).max(256),
            unallocatedBytes: z.number().int().nonnegative().optional(),
            metadataPercent: z.number().min(0).max(100).nullable().optional(),
            /** Why the allocation could not be read. */
            error: z.string().max(120).optional(),
          })
          .strict(),
      )
      .max(32)
      .optional(),
    /** Days until full, for volumes with enough history to tell. */
    forecasts: z
      .array(
        z
          .object({
            id: z.string().min(1).max(256),
            daysUntilFull: z.number().nonnegative(),
            bytesPerDay: z.number().nonnegative(),
            samples: z.number().int().positive(),
          })
          .strict(),
      )
      .max(32)
      .optional(),
    /** The thresholds the volumes were judged against. */
    policy: z
      .object({
        floorBytes: z.number().int().nonnegative(),
        minFreePercent: z.number().min(0).max(100),
      })
      .strict(),
  })
  .strict();

export type DiskSpaceData = z.infer<typeof diskSpaceDataSchema>;
