/**
 * `btrfs filesystem usage -b <mount>` read into numbers. btrfs hands out
 * space in chunks: data and metadata each live in their own chunks, and a
 * new chunk needs unallocated device space. A volume whose metadata chunks
 * are full and whose device has nothing left to allocate refuses new files
 * while statfs (df) still shows free data space.
 *
 * Without `-b` the figures carry units (`9.94GiB`, `0.00B`); both forms
 * are read, so a pasted report works as well.
 */
export interface BtrfsChunkUsage {
  /** Bytes of chunks allocated to this type (logical, before the ratio). */
  size: number;
  used: number;
}

export interface BtrfsUsage {
  deviceSize: number;
  deviceUnallocated: number;
  freeEstimated?: number;
  globalReserve: number;
  metadataRatio: number;
  data?: BtrfsChunkUsage;
  metadata?: BtrfsChunkUsage;
}

const UNITS: Record<string, number> = {
  '': 1,
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
  PiB: 1024 ** 5,
};

const SIZE = String.raw`(\d+(?:\.\d+)?)\s*([KMGTP]iB|B)?`;

function bytes(value: string | undefined, unit: string | undefined) {
  const n = Number(value);
  const factor = UNITS[unit ?? ''];
  return Number.isFinite(n) && factor ? Math.round(n * factor) : undefined;
}

/** An `Overall:` line: `    Device unallocated:\t\t  1048576`. */
function overall(text: string, label: string): number | undefined {
  const m = new RegExp(`^\\s*${label}:\\s+${SIZE}`, 'm').exec(text);
  return m ? bytes(m[1], m[2]) : undefined;
}

/**
 * `Metadata,DUP: Size:113639424, Used:103890944 (91.42%)`, summed over
 * the profiles of one type.
 */
function chunks(text: string, type: string): BtrfsChunkUsage | undefined {
  const re = new RegExp(
    `^${type},[\\w/]+:\\s*Size:${SIZE},\\s*Used:${SIZE}`,
    'gm',
  );
  let found: BtrfsChunkUsage | undefined;
  for (const m of text.matchAll(re)) {
    const size = bytes(m[1], m[2]);
    const used = bytes(m[3], m[4]);
    if (size === undefined || used === undefined) continue;
    found = {
      size: (found?.size ?? 0) + size,
      used: (found?.used ?? 0) + used,
    };
  }
  return found;
}

export function parseBtrfsUsage(text: string): BtrfsUsage | undefined {
  const deviceSize = overall(text, 'Device size');
  const deviceUnallocated = overall(text, 'Device unallocated');
  if (deviceSize === undefined || deviceUnallocated === undefined) {
    return undefined;
  }

  const ratio = /^\s*Metadata ratio:\s+(\d+(?:\.\d+)?)/m.exec(text)?.[1];
  const freeEstimated = overall(text, String.raw`Free \(estimated\)`);
  const data = chunks(text, 'Data');
  const metadata = chunks(text, 'Metadata');
  return {
    deviceSize,
    deviceUnallocated,
    ...(freeEstimated === undefined ? {} : { freeEstimated }),
    globalReserve: overall(text, 'Global reserve') ?? 0,
    metadataRatio: ratio ? Number(ratio) : 1,
    ...(data ? { data } : {}),
    ...(metadata ? { metadata } : {}),
  };
}
