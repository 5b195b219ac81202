import { arr, type Json, num, obj, str } from './json-fields.js';

/**
 * Windows storage reliability counters, the SMART fallback for drives
 * smartctl cannot reach (Intel RST/VMD, RAID controllers, missing
 * smartctl). One JSON array, one object per Get-PhysicalDisk disk with its
 * Get-StorageReliabilityCounter figures beside it; docs/windows-probes.md
 * lists the fields.
 */
export const RELIABILITY_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  'try {',
  '  $disks = @(Get-PhysicalDisk | ForEach-Object {',
  '    $disk = $_',
  '    $c = $null',
  '    try { $c = $disk | Get-StorageReliabilityCounter } catch { }',
  '    [pscustomobject]@{',
  '      DeviceId = $disk.DeviceId',
  '      FriendlyName = $disk.FriendlyName',
  '      SerialNumber = $disk.SerialNumber',
  '      BusType = [string]$disk.BusType',
  '      MediaType = [string]$disk.MediaType',
  '      HealthStatus = [string]$disk.HealthStatus',
  "      OperationalStatus = $disk.OperationalStatus -join ', '",
  '      Size = $disk.Size',
  '      Wear = $c.Wear',
  '      Temperature = $c.Temperature',
  '      TemperatureMax = $c.TemperatureMax',
  '      ReadErrorsUncorrected = $c.ReadErrorsUncorrected',
  '      WriteErrorsUncorrected = $c.WriteErrorsUncorrected',
  '      PowerOnHours = $c.PowerOnHours',
  '    }',
  '  })',
  '  ConvertTo-Json -InputObject $disks -Compress',
  '} catch {',
  '  [pscustomobject]@{ Error = $_.Exception.Message;',
  '    ErrorId = $_.FullyQualifiedErrorId } | ConvertTo-Json -Compress',
  '}',
].join('\n');

export type DiskHealth = 'healthy' | 'warning' | 'unhealthy' | 'unknown';

/** One physical disk as the storage stack describes it. */
export interface ReliabilityDisk {
  deviceId?: string;
  name?: string;
  serial?: string;
  busType?: string;
  mediaType?: string;
  health: DiskHealth;
  operationalStatus?: string;
  /** Percent of rated endurance used (NVMe Percentage Used). */
  wear?: number;
  temperature?: number;
  readErrorsUncorrected?: number;
  writeErrorsUncorrected?: number;
  powerOnHours?: number;
}

export type ReliabilityRead =
  | { ok: true; disks: ReliabilityDisk[] }
  | { ok: false; reason: string };

/**
 * Reads the script's array, or a pasted `Get-PhysicalDisk |
 * Get-StorageReliabilityCounter | ConvertTo-Json` (one object for one
 * disk; counters only). Enums come as names or as their numbers.
 */
export function parseReliability(text: string): ReliabilityRead {
  let doc: unknown;
  try {
    doc = JSON.parse(text.trim() || '[]');
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const error = str(obj(doc)?.Error);
  if (error !== undefined) return { ok: false, reason: error.slice(0, 200) };

  const items = Array.isArray(doc) ? arr(doc) : [doc];
  const disks = items.flatMap((item) => {
    const o = obj(item);
    return o ? [diskOf(o)] : [];
  });
  return { ok: true, disks };
}

function diskOf(o: Json): ReliabilityDisk {
  const text = (key: string) => str(o[key])?.trim() || undefined;
  const count = (key: string) => num(o[key]);
  const disk: ReliabilityDisk = {
    deviceId: text('DeviceId') ?? num(o.DeviceId)?.toString(),
    name: text('FriendlyName'),
    serial: text('SerialNumber'),
    busType: enumName(o.BusType, BUS_TYPES),
    mediaType: enumName(o.MediaType, MEDIA_TYPES),
    health: healthOf(o.HealthStatus),
    operationalStatus: text('OperationalStatus'),
    wear: count('Wear'),
    temperature: count('Temperature'),
    readErrorsUncorrected: count('ReadErrorsUncorrected'),
    writeErrorsUncorrected: count('WriteErrorsUncorrected'),
    powerOnHours: count('PowerOnHours'),
  };
  return Object.fromEntries(
    Object.entries(disk).filter(([, v]) => v !== undefined),
  ) as unknown as ReliabilityDisk;
}

/** HealthStatus: 0 Healthy, 1 Warning, 2 Unhealthy, 5 Unknown. */
function healthOf(value: unknown): DiskHealth {
  const name = enumName(value, { 0: 'Healthy', 1: 'Warning', 2: 'Unhealthy' });
  switch (name?.toLowerCase()) {
    case 'healthy':
      return 'healthy';
    case 'warning':
      return 'warning';
    case 'unhealthy':
      return 'unhealthy';
    default:
      return 'unknown';
  }
}

/** MSFT_PhysicalDisk BusType values. */
const BUS_TYPES: Record<number, string> = {
  1: 'SCSI',
  3: 'ATA',
  7: 'USB',
  8: 'RAID',
  9: 'iSCSI',
  10: 'SAS',
  11: 'SATA',
  12: 'SD',
  13: 'MMC',
  15: 'File Backed Virtual',
  16: 'Storage Spaces',
  17: 'NVMe',
};

const MEDIA_TYPES: Record<number, string> = {
  0: 'Unspecified',
  3: 'HDD',
  4: 'SSD',
  5: 'SCM',
};

function enumName(value: unknown, names: Record<number, string>) {
  const n =
    num(value) ?? (/^\d+$/.test(str(value) ?? '') ? Number(value) : undefined);
  if (n !== undefined) return names[n] ?? String(n);
  return str(value)?.trim() || undefined;
}
