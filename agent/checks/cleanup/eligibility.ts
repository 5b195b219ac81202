import type { Stats } from 'node:fs';
import type { KeepReason, RootSpec } from './types.js';

/**
 * Folder names that hold a person's own files. Matched without case on
 * every path segment below a root: a Downloads folder that a program made
 * inside a temp folder is still someone's downloads.
 */
const PROTECTED_NAMES = new Set(['downloads', 'desktop', 'documents']);

/** OneDrive folders carry the tenant name: "OneDrive - Contoso". */
const PROTECTED_PREFIXES = ['onedrive'];

export function isProtectedName(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    PROTECTED_NAMES.has(lower) ||
    PROTECTED_PREFIXES.some((prefix) => lower.startsWith(prefix))
  );
}

export interface Eligibility {
  /** Files last modified or read at or after this time stay, ms. */
  keepAfterMs: number;
  allowIso: boolean;
  /** dev:ino keys of files some process holds open. */
  openFiles: ReadonlySet<string>;
}

export function fileKey(stats: Pick<Stats, 'dev' | 'ino'>): string {
  return `${stats.dev}:${stats.ino}`;
}

/** The lowest uid of an ordinary (non-system) account on Linux. */
const FIRST_USER_UID = 1000;
const NOBODY_UID = 65534;

/**
 * Whether one file or link may go. Pure: the walk passes the lstat result.
 * A link's own times are used, never its target's.
 */
export function keepReason(
  name: string,
  stats: Stats,
  root: RootSpec,
  rules: Eligibility,
): KeepReason | undefined {
  if (!stats.isFile() && !stats.isSymbolicLink()) return 'special-file';
  if (root.fileFilter && !root.fileFilter.test(name)) return 'filtered';
  if (isProtectedName(name)) return 'protected';
  if (!rules.allowIso && name.toLowerCase().endsWith('.iso')) return 'iso';
  if (root.ordinaryOwnersOnly && !isOrdinaryOwner(stats.uid)) return 'owner';

  const lastUse = Math.max(stats.mtimeMs, stats.atimeMs);
  if (lastUse >= rules.keepAfterMs) return 'fresh';

  if (rules.openFiles.has(fileKey(stats))) return 'in-use';
  return undefined;
}

export function isOrdinaryOwner(uid: number): boolean {
  return uid >= FIRST_USER_UID && uid !== NOBODY_UID;
}

/**
 * An empty folder goes when it is old by its modification time. Its access
 * time is not used: listing a folder updates it, so the previous run's own
 * walk would keep every folder young for ever.
 */
export function isOldFolder(stats: Stats, rules: Eligibility): boolean {
  return stats.mtimeMs < rules.keepAfterMs;
}
