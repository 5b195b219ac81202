import type { Volume } from '../../../core/index.js';
import { ProbeError } from '../../errors.js';
import {
  parseWmicList,
  type WmicInstance,
} from '../../platform/windows/wmic-list.js';
import type { ProbedVolumes, SkippedVolume } from './types.js';

/**
 * Windows volume listings, in the forms we meet, to monitored volumes:
 * - `wmic volume|logicaldisk get /format:list` (Key=Value blocks),
 * - `Get-CimInstance Win32_Volume | ConvertTo-Json` (what the probe runs),
 * - `Get-Volume | ConvertTo-Json`.
 *
 * Rules (the kind of fault, not one machine):
 * - only DriveType 3 (local fixed disk) counts: removable (2), network (4),
 *   CD/DVD (5) and RAM disks (6) are not this machine's disks;
 * - an empty size is "not reported", never 0 bytes, and is not judged;
 * - Win32_Volume is the source of truth, because Win32_LogicalDisk lists
 *   drive letters only and misses recovery, EFI and folder-mounted volumes;
 *   a logical disk whose letter Win32_Volume already lists is the same
 *   volume;
 * - a volume mounted in a folder is a volume of its own;
 * - Description texts are localised, so nothing reads them.
 */
export interface WindowsVolumeRecord {
  /** Volume GUID path, or the drive letter for Win32_LogicalDisk. */
  id: string;
  /** `C:\` or `C:\Mount\Point\`; absent for letterless volumes. */
  mountPath?: string;
  driveLetter?: string;
  driveType?: number;
  fileSystem?: string;
  label?: string;
  capacity?: number;
  freeSpace?: number;
  /** Win32_Volume BootVolume: the volume Windows runs from. */
  bootVolume?: boolean;
  /** Win32_Volume SystemVolume: the volume with the boot files. */
  systemVolume?: boolean;
  kind: 'volume' | 'logical-disk';
}

const SKIP_BY_DRIVE_TYPE: Record<number, string> = {
  0: 'unknown-drive-type',
  1: 'no-root-directory',
  2: 'removable-media',
  4: 'network-drive',
  5: 'optical-drive',
  6: 'ram-disk',
};

const FIXED = 3;

/** Parses wmic list or ConvertTo-Json output, whichever `text` is. */
export function parseWindowsVolumes(text: string): WindowsVolumeRecord[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    return parseJsonListing(trimmed);
  }
  return parseWmicList(text).flatMap((i) => fromWmic(i) ?? []);
}

function fromWmic(instance: WmicInstance): WindowsVolumeRecord | undefined {
  if ('Capacity' in instance) return fromWin32Volume(instance);
  if ('Size' in instance && 'DeviceID' in instance) {
    return fromLogicalDisk(instance);
  }
  return undefined;
}

function parseJsonListing(text: string): WindowsVolumeRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ProbeError(
      'output-unparsed',
      'volume listing is not JSON',
      {
        head: text.slice(0, 80),
      },
      { cause: error },
    );
  }

  // ConvertTo-Json writes a lone object when there is one instance.
  const items = Array.isArray(parsed) ? parsed : [parsed];
  return items.map((item) => {
    if (!item || typeof item !== 'object') {
      throw new ProbeError('output-unparsed', 'volume entry is not an object');
    }
    const record = item as Record<string, unknown>;
    if ('SizeRemaining' in record) return fromGetVolume(record);
    if ('Capacity' in record) return fromWin32Volume(record);
    if ('Size' in record && 'DeviceID' in record) {
      return fromLogicalDisk(record);
    }
    throw new ProbeError('output-unparsed', 'unknown volume entry shape', {
      keys: Object.keys(record).slice(0, 12),
    });
  });
}

function fromWin32Volume(p: Record<string, unknown>): WindowsVolumeRecord {
  const id = volumePath(text(p.DeviceID) ?? text(p.Name) ?? '');
  const name = text(p.Name) ?? text(p.Caption);
  return compact({
    kind: 'volume',
    id,
    mountPath: name && !name.startsWith('\\\\?\\') ? name : undefined,
    driveLetter: text(p.DriveLetter),
    driveType: integer(p.DriveType),
    fileSystem: text(p.FileSystem),
    label: text(p.Label),
    capacity: integer(p.Capacity),
    freeSpace: integer(p.FreeSpace),
    bootVolume: flag(p.BootVolume),
    systemVolume: flag(p.SystemVolume),
  });
}

function fromLogicalDisk(p: Record<string, unknown>): WindowsVolumeRecord {
  const letter = text(p.DeviceID) ?? '';
  return compact({
    kind: 'logical-disk',
    id: letter,
    mountPath: `${letter}\\`,
    driveLetter: letter,
    driveType: integer(p.DriveType),
    fileSystem: text(p.FileSystem),
    label: text(p.VolumeName),
    capacity: integer(p.Size),
    freeSpace: integer(p.FreeSpace),
  });
}

const GET_VOLUME_DRIVE_TYPES: Record<string, number> = {
  unknown: 0,
  'invalid root path': 1,
  'no root directory': 1,
  removable: 2,
  fixed: 3,
  remote: 4,
  network: 4,
  'cd-rom': 5,
  'ram disk': 6,
};

/**
 * Get-Volume (MSFT_Volume) names the type as text through the Storage
 * module's type data, or as its number when serialised raw; its drive
 * letter is a char, which some PowerShell versions write as a code.
 *
 * Known limitation: MSFT_Volume has no boot/system flags and no folder
 * mount paths, so a letterless NTFS volume is taken for the recovery
 * partition even when it is a BIOS "System Reserved" or a folder-mounted
 * data volume. The probe uses Win32_Volume, which has both; this form is
 * read only when someone hands it to us.
 */
function fromGetVolume(p: Record<string, unknown>): WindowsVolumeRecord {
  const letter = driveLetter(p.DriveLetter);
  const typeName = text(p.DriveType)?.toLowerCase();
  return compact({
    kind: 'volume',
    id: volumePath(text(p.Path) ?? text(p.UniqueId) ?? `${letter}`),
    mountPath: letter ? `${letter}\\` : undefined,
    driveLetter: letter,
    driveType:
      integer(p.DriveType) ??
      (typeName ? GET_VOLUME_DRIVE_TYPES[typeName] : undefined),
    fileSystem: text(p.FileSystem) ?? text(p.FileSystemType),
    label: text(p.FileSystemLabel),
    capacity: integer(p.Size),
    freeSpace: integer(p.SizeRemaining),
  });
}

/** The fixed volumes of a listing, each as a monitored Volume. */
export function toMonitoredVolumes(
  records: readonly WindowsVolumeRecord[],
): ProbedVolumes {
  const volumes: Volume[] = [];
  const skipped: SkippedVolume[] = [];
  const lettersOfVolumes = new Set(
    records
      .filter((r) => r.kind === 'volume' && r.driveLetter)
      .map((r) => r.driveLetter?.toUpperCase()),
  );

  for (const record of records) {
    const reason = skipReason(record, lettersOfVolumes);
    if (reason) skipped.push({ id: record.mountPath ?? record.id, reason });
    else volumes.push(toVolume(record));
  }
  return { volumes, skipped };
}

function skipReason(record: WindowsVolumeRecord, letters: Set<unknown>) {
  const letter = record.driveLetter?.toUpperCase();
  if (record.kind === 'logical-disk' && letters.has(letter)) {
    return 'listed-by-win32-volume';
  }
  if (record.driveType !== FIXED) {
    return SKIP_BY_DRIVE_TYPE[record.driveType ?? 0] ?? 'unknown-drive-type';
  }
  if (!record.capacity || record.freeSpace === undefined) {
    return 'size-unknown';
  }
  return undefined;
}

function toVolume(record: WindowsVolumeRecord): Volume {
  const volume: Volume = {
    id: record.id,
    fsType: (record.fileSystem ?? 'unknown').slice(0, 32),
    role: windowsRole(record),
    totalBytes: record.capacity ?? 0,
    freeBytes: record.freeSpace ?? 0,
    // NTFS keeps no root reserve: what is free, a user may write.
    availableBytes: record.freeSpace ?? 0,
  };
  if (record.mountPath) volume.mount = record.mountPath;
  if (record.label) volume.label = record.label.slice(0, 64);
  return volume;
}

/**
 * Letterless volumes are told apart by structure, not by (localised)
 * labels: FAT is the EFI System Partition; a system volume is the BIOS
 * "System Reserved" boot partition; any other is the recovery partition.
 */
export function windowsRole(record: WindowsVolumeRecord): Volume['role'] {
  if (record.bootVolume) return 'system';
  if (record.mountPath) return 'data';
  if (/^FAT/i.test(record.fileSystem ?? '')) return 'efi';
  if (record.systemVolume) return 'boot';
  return 'recovery';
}

/** Volume GUID paths appear with and without the final backslash. */
function volumePath(path: string) {
  return path.startsWith('\\\\?\\') && !path.endsWith('\\')
    ? `${path}\\`
    : path;
}

function driveLetter(value: unknown) {
  if (typeof value === 'number' && value >= 65 && value <= 122) {
    return `${String.fromCharCode(value).toUpperCase()}:`;
  }
  const letter = text(value)?.replace(/:$/, '');
  return letter && /^[A-Za-z]$/.test(letter)
    ? `${letter.toUpperCase()}:`
    : undefined;
}

function text(value: unknown) {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.replace(/\0/g, '').trim();
  return trimmed === '' ? undefined : trimmed;
}

function integer(value: unknown) {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
    return value;
  }
  const digits = text(value);
  return digits && /^\d+$/.test(digits) ? Number(digits) : undefined;
}

function flag(value: unknown) {
  if (typeof value === 'boolean') return value;
  const word = text(value)?.toLowerCase();
  return word === 'true' ? true : word === 'false' ? false : undefined;
}

function compact<T extends object>(record: T): T {
  return Object.fromEntries(
    Object.entries(record).filter(([, v]) => v !== undefined),
  ) as T;
}
