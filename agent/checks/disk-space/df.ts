import type { Volume } from '../../../core/index.js';
import { classifyMount, inferFsType } from './classify-mount.js';
import { dedupeByDevice } from './dedupe.js';
import type { ProbedVolumes, SkippedVolume } from './types.js';

/**
 * Parser of `df` output as people paste it: `df -h`, `df -ih`, `df -B1`,
 * `df -kP`, with or without `-T`, with or without the header line, with the
 * shell prompt that ran it, and with long device names wrapped onto their
 * own line. Space and inode listings of one machine merge by mount point.
 *
 * Human sizes (`7.5G`) are approximate by nature; they are enough to judge
 * but not to compare with statfs to the byte.
 */
export interface DfRow {
  source: string;
  mountPoint: string;
  fsType?: string;
  totalBytes?: number;
  usedBytes?: number;
  availableBytes?: number;
  inodesTotal?: number;
  inodesUsed?: number;
  inodesFree?: number;
}

type Unit = number | 'human' | 'si';

interface Mode {
  /** `unknown`: a header whose columns name neither bytes nor inodes. */
  kind: 'space' | 'inodes' | 'unknown';
  unit: Unit;
}

/** What a pasted df listing holds, with the tables that could not be told. */
export interface DfListing {
  rows: DfRow[];
  /** Header lines whose columns are neither a space nor an inode table. */
  unknownHeaders: string[];
}

const DEFAULT_MODE: Mode = { kind: 'space', unit: 'human' };
const PERCENT = /^(\d+%|-)$/;

export function parseDf(text: string): DfRow[] {
  return parseDfListing(text).rows;
}

export function parseDfListing(text: string): DfListing {
  const rows = new Map<string, DfRow>();
  const unknownHeaders: string[] = [];
  let mode = DEFAULT_MODE;
  let pendingSource: string | undefined;

  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('### ')) {
      mode = DEFAULT_MODE;
      continue;
    }

    const fromPrompt = modeFromCommand(line);
    const fromHeader = fromPrompt ? undefined : modeFromHeader(line, mode);
    if (fromPrompt || fromHeader) {
      mode = fromPrompt ?? fromHeader ?? mode;
      if (fromHeader?.kind === 'unknown') unknownHeaders.push(line.trim());
      continue;
    }

    const tokens = line.trim().split(/\s+/).filter(Boolean);
    if (tokens.length === 1 && tokens[0]?.startsWith('/')) {
      pendingSource = tokens[0];
      continue;
    }
    if (pendingSource && /^\s/.test(line)) tokens.unshift(pendingSource);
    pendingSource = undefined;

    const row = parseRow(tokens, mode);
    if (row) mergeRow(rows, row);
  }

  return { rows: [...rows.values()], unknownHeaders };
}

/** A shell line that runs df sets the mode from its flags. */
function modeFromCommand(line: string): Mode | undefined {
  const match = /(?:^|[\s#$>])df((?:\s+-\S+)*)\s*$/.exec(line);
  if (!match) return undefined;

  const flags = (match[1] ?? '').trim().split(/\s+/).filter(Boolean);
  const short = flags.filter((f) => /^-[^-]/.test(f)).join('');
  const long = flags.filter((f) => f.startsWith('--'));
  const inodes = /i/.test(short) || long.includes('--inodes');

  let unit: Unit = 'human';
  if (/H/.test(short) || long.includes('--si')) unit = 'si';
  else if (/h/.test(short)) unit = 'human';
  else if (/-B1\b/.test(flags.join(' '))) unit = 1;
  else if (/k/.test(short) || /P/.test(short)) unit = 1024;
  return { kind: inodes ? 'inodes' : 'space', unit };
}

/**
 * Header words of df in the C locale and in the German, French and Spanish
 * translations of coreutils. The first cell names the file system column,
 * the last the mount point; the columns between say what is counted.
 */
const HEADER_START = /^(Filesystem|Dateisystem|Sys\.|S\.ficheros)$/;
const HEADER_MOUNT = /^(Mounted|Eingehängt|Monté|Montado)$/;
const INODE_COLUMN = anyOf([
  'Inodes|IUsed|IFree|IUse%',
  'IBenutzt%?|IFrei',
  'In(?:œ|oe)uds|IUtil\\.|ILibre|IUti%',
  'Nodos-i|NUsados|NLibres|NUso%',
]);
const SPACE_COLUMN = anyOf([
  'Size|Used|Avail|Available|Use%|Capacity',
  'Größe|Benutzt|Verf\\.|Verw%',
  'Taille|Utilisé|Dispo|Disponible|Uti%',
  'Tamaño|Usados|Disp|Uso%|bloques',
  '\\d+[KMGB]?-(?:blocks|Blöcke|blocs)',
]);

/** One whole-cell pattern from alternatives kept short, a language a line. */
function anyOf(alternatives: string[]) {
  return new RegExp(`^(${alternatives.join('|')})$`);
}

/** The header line names the listing and its unit. */
function modeFromHeader(line: string, current: Mode): Mode | undefined {
  const tokens = line.trim().split(/\s+/);
  const isHeader =
    HEADER_START.test(tokens[0] ?? '') ||
    tokens.some((t) => HEADER_MOUNT.test(t));
  if (!isHeader || tokens.some((t) => PERCENT.test(t))) return undefined;

  const human = current.unit === 'si' ? 'si' : 'human';
  if (tokens.some((t) => INODE_COLUMN.test(t))) {
    return { kind: 'inodes', unit: human };
  }
  if (!tokens.some((t) => SPACE_COLUMN.test(t))) {
    return { kind: 'unknown', unit: human };
  }
  const blocks = tokens
    .map((t) => /^(\d+)([KMG]?)-(?:blocks|Blöcke|blocs)$/.exec(t))
    .find(Boolean);
  if (blocks) {
    const scale = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[
      (blocks[2] ?? '') as '' | 'K' | 'M' | 'G'
    ];
    return { kind: 'space', unit: Number(blocks[1]) * scale };
  }
  return { kind: 'space', unit: human };
}

/**
 * A row is source [type] n n n pct mount. The percent column anchors it, so
 * that a `-T` listing parses without knowing the flags.
 */
function parseRow(tokens: string[], mode: Mode): DfRow | undefined {
  if (mode.kind === 'unknown') return undefined;
  const pct = tokens.findIndex((t, i) => i >= 4 && PERCENT.test(t));
  if (pct !== 4 && pct !== 5) return undefined;

  const mountPoint = tokens.slice(pct + 1).join(' ');
  const [source] = tokens;
  if (!source || !mountPoint.startsWith('/')) return undefined;

  const values = tokens.slice(pct - 3, pct).map((v) => toNumber(v, mode.unit));
  if (values.some((v) => v === null)) return undefined;

  const [total, used, free] = values as (number | undefined)[];
  const row: DfRow = { source, mountPoint };
  if (pct === 5) row.fsType = tokens[1];
  if (mode.kind === 'inodes') {
    Object.assign(row, { inodesTotal: total, inodesUsed: used });
    row.inodesFree = free;
  } else {
    Object.assign(row, { totalBytes: total, usedBytes: used });
    row.availableBytes = free;
  }
  return row;
}

const SUFFIX = 'KMGTPE';

/** A df cell as a number; undefined for "-", null for garbage. */
function toNumber(value: string, unit: Unit): number | undefined | null {
  if (value === '-') return undefined;
  if (typeof unit === 'number') {
    return /^\d+$/.test(value) ? Number(value) * unit : null;
  }

  const match = /^(\d+(?:[.,]\d+)?)([KMGTPE]?)$/.exec(value);
  if (!match) return null;
  const base = unit === 'si' ? 1000 : 1024;
  const power = match[2] ? SUFFIX.indexOf(match[2]) + 1 : 0;
  const number = Number((match[1] ?? '').replace(',', '.'));
  return Math.round(number * base ** power);
}

/** Space and inode listings of one mount fill in each other's fields. */
function mergeRow(rows: Map<string, DfRow>, row: DfRow) {
  const merged: DfRow = { ...(rows.get(row.mountPoint) ?? row) };
  for (const [key, value] of Object.entries(row)) {
    if (value !== undefined) Object.assign(merged, { [key]: value });
  }
  rows.set(row.mountPoint, merged);
}

/** The monitored volumes among df rows, by the same rules as the probe. */
export function dfRowsToVolumes(rows: readonly DfRow[]): ProbedVolumes {
  const skipped: SkippedVolume[] = [];
  const candidates: (Volume & { deviceKey: string; mountPoint: string })[] = [];

  for (const row of rows) {
    const verdict = classifyMount(row);
    if (!verdict.monitored) {
      skipped.push({ id: row.mountPoint, reason: verdict.reason });
      continue;
    }
    const sized =
      row.totalBytes !== undefined && row.availableBytes !== undefined;
    // An inode table on its own still judges inodes; its size stays 0.
    if (!sized && !row.inodesTotal) {
      skipped.push({ id: row.mountPoint, reason: 'size-unknown' });
      continue;
    }
    candidates.push({ ...rowToVolume(row, verdict.role), ...keyOf(row) });
  }

  const { kept, duplicates } = dedupeByDevice(candidates);
  for (const d of duplicates) {
    skipped.push({ id: d.mountPoint, reason: 'same-device-as-shorter-mount' });
  }
  const volumes = kept.map(({ deviceKey, mountPoint, ...v }) => v);
  return { volumes, skipped };
}

function keyOf(row: DfRow) {
  const deviceKey = row.source.startsWith('/dev/')
    ? row.source
    : `mount:${row.mountPoint}`;
  return { deviceKey, mountPoint: row.mountPoint };
}

function rowToVolume(row: DfRow, role: Volume['role']): Volume {
  const totalBytes = row.totalBytes ?? 0;
  const volume: Volume = {
    id: row.mountPoint,
    mount: row.mountPoint,
    device: row.source,
    fsType: row.fsType ?? inferFsType(row.source),
    role,
    totalBytes,
    freeBytes: Math.max(0, totalBytes - (row.usedBytes ?? 0)),
    availableBytes: row.availableBytes ?? 0,
  };
  // A file system without an inode table (vfat, btrfs) reports 0 or "-".
  if (row.inodesTotal && row.inodesFree !== undefined) {
    volume.inodesTotal = row.inodesTotal;
    volume.inodesFree = row.inodesFree;
  }
  return volume;
}
