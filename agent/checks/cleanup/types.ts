/** The kinds of debris the cleanup knows; policy `categories` names them. */
export const CLEANUP_CATEGORIES = [
  'temp-user',
  'temp-system',
  'browser-edge',
  'browser-chrome',
  'browser-firefox',
  'crash-dumps',
  'thumbnails',
  'update-cache',
] as const;

export type CleanupCategory = (typeof CLEANUP_CATEGORIES)[number];

/**
 * One folder the cleanup may empty. `path` is absolute; a path segment that
 * is exactly `*` stands for every real sub-folder (links never match), so
 * that one entry covers every user profile or browser profile.
 */
export interface RootSpec {
  category: CleanupCategory;
  path: string;
  /** Descend into sub-folders. @default true */
  recursive?: boolean;
  /** Only file names matching this go (thumbcache_*.db). @default all */
  fileFilter?: RegExp;
  /**
   * Shared temp folders: only entries owned by ordinary users (uid 1000 and
   * up, nobody excluded) go, so that daemons' files stay. @default false
   */
  ordinaryOwnersOnly?: boolean;
  /** Top-level names never touched (X11 sockets, systemd private tmp). */
  keepTopNames?: readonly string[];
  /** Skip the whole root unless this condition holds at run time. */
  guard?: 'no-update-in-flight';
}

/** Why a file stayed. Counted per reason in the report. */
export type KeepReason =
  | 'fresh'
  | 'protected'
  | 'iso'
  | 'in-use'
  | 'mount-point'
  | 'special-file'
  | 'owner'
  | 'filtered'
  | 'outside-root'
  | 'changed'
  | 'error';

/** Per-category totals; the report holds these, never the file list. */
export interface CategoryTotals {
  files: number;
  bytes: number;
  dirs: number;
}
