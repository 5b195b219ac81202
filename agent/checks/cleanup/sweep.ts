import type { Stats } from 'node:fs';
import { lstat, readdir, realpath, rmdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isoTime } from '../../../core/iso-time.js';
import {
  type Eligibility,
  isOldFolder,
  isOrdinaryOwner,
  isProtectedName,
  keepReason,
} from './eligibility.js';
import { isInside, linkInChain, matchesName } from './expand.js';
import type { ManifestWriter } from './manifest.js';
import type {
  CategoryTotals,
  CleanupCategory,
  KeepReason,
  RootSpec,
} from './types.js';

export interface SweepOptions {
  rules: Eligibility;
  dryRun: boolean;
  platform: NodeJS.Platform;
  /** Real runs only: where each deletion is recorded before it counts. */
  manifest?: ManifestWriter;
  /** The walk stops taking new entries after this time, ms since epoch. */
  deadlineMs: number;
  now: () => number;
}

/** Why a root was not walked at all. */
export interface RefusedRoot {
  path: string;
  reason: 'link-in-path' | 'not-a-folder' | 'unreadable';
  link?: string;
}

/** The first few problems, kept for findings; counts are in `kept`. */
export interface PathProblem {
  path: string;
  code: string;
}

const defaults = {
  /** Folders deeper than this below a root are left alone. */
  maxDepth: 64,
  /** Problems kept per kind for the findings. */
  keepProblems: 5,
};

/** A root as walked: its spec, resolved path and device. */
interface WalkRoot {
  spec: RootSpec;
  real: string;
  dev: number;
}

/**
 * The walk of one run. Every entry is read with lstat and links are never
 * followed: a link is a file that may go, never a folder to enter. A
 * change of device is a mount point and is skipped. Before anything is
 * deleted its parent is resolved again and must still lie inside the
 * root's resolved path, which catches a folder swapped for a link while
 * the walk ran.
 */
export class Sweep {
  readonly totals = new Map<CleanupCategory, CategoryTotals>();
  readonly kept: Partial<Record<KeepReason, number>> = {};
  readonly refused: RefusedRoot[] = [];
  readonly failures: PathProblem[] = [];
  readonly outside: PathProblem[] = [];
  rootsWalked = 0;
  deleteFailures = 0;
  stoppedEarly = false;

  constructor(private readonly options: SweepOptions) {}

  async sweepRoot(spec: RootSpec, path: string): Promise<void> {
    const stats = await lstat(path).catch(() => undefined);
    if (!stats) return;

    const link = await linkInChain(path).catch(() => path);
    if (link) {
      this.refused.push({ path, reason: 'link-in-path', link });
      return;
    }
    if (!stats.isDirectory()) {
      this.refused.push({ path, reason: 'not-a-folder' });
      return;
    }

    const real = await realpath(path);
    this.rootsWalked += 1;
    await this.walk({ spec, real, dev: stats.dev }, real, 0);
  }

  /** Walks one folder; resolves true when everything in it went. */
  private async walk(root: WalkRoot, dir: string, depth: number) {
    const names = await readdir(dir).catch(() => undefined);
    if (!names) return this.keep('error');

    let remaining = 0;
    for (const name of names.sort()) {
      if (this.options.now() > this.options.deadlineMs) {
        this.stoppedEarly = true;
        return false;
      }
      const gone = await this.visit(root, join(dir, name), depth);
      if (!gone) remaining += 1;
    }
    return remaining === 0;
  }

  /** One entry below a root; resolves true when it went. */
  private async visit(root: WalkRoot, path: string, depth: number) {
    const stats = await lstat(path).catch(() => undefined);
    if (!stats) return this.keep('changed');

    const name = basename(path);
    const top = depth === 0;
    if (top && matchesName(name, root.spec.keepTopNames ?? [])) {
      return this.keep('protected');
    }
    if (stats.dev !== root.dev) return this.keep('mount-point');
    if (stats.isDirectory()) return this.visitFolder(root, path, stats, depth);

    const reason = keepReason(name, stats, root.spec, this.options.rules);
    if (reason) return this.keep(reason);
    return this.removeFile(root, path, stats);
  }

  private async visitFolder(
    root: WalkRoot,
    path: string,
    stats: Stats,
    depth: number,
  ) {
    const { spec } = root;
    if (isProtectedName(basename(path))) return this.keep('protected');
    if (spec.recursive === false) return this.keep('filtered');
    if (spec.ordinaryOwnersOnly && !isOrdinaryOwner(stats.uid)) {
      return this.keep('owner');
    }
    if (depth >= defaults.maxDepth) return this.keep('filtered');

    const empty = await this.walk(root, path, depth + 1);
    if (!empty || !isOldFolder(stats, this.options.rules)) return false;
    return this.removeFolder(root, path);
  }

  private async removeFile(root: WalkRoot, path: string, stats: Stats) {
    const resolved = await this.resolveInside(root, path);
    if (!resolved) return false;

    if (!this.options.dryRun) {
      const again = await lstat(resolved).catch(() => undefined);
      if (!again || again.ino !== stats.ino || again.isDirectory()) {
        return this.keep('changed');
      }
      const error = await this.unlinkEntry(resolved, stats);
      if (error) return this.failed(resolved, error);
      await this.options.manifest?.append({
        path: resolved,
        bytes: stats.size,
        mtime: isoTime(stats.mtime),
        category: root.spec.category,
      });
    }

    this.count(root.spec.category, { files: 1, bytes: stats.size, dirs: 0 });
    return true;
  }

  private async removeFolder(root: WalkRoot, path: string) {
    const resolved = await this.resolveInside(root, path);
    if (!resolved) return false;

    // rmdir never recurses: a folder that gained an entry stays.
    if (!this.options.dryRun) {
      const error = await rmdir(resolved).catch((e: NodeJS.ErrnoException) =>
        String(e.code),
      );
      if (error) return this.keep('changed');
    }
    this.count(root.spec.category, { files: 0, bytes: 0, dirs: 1 });
    return true;
  }

  /**
   * The path with its parent resolved, when that parent still lies inside
   * the root; otherwise the entry is refused and recorded.
   */
  private async resolveInside(root: WalkRoot, path: string) {
    const parent = await realpath(dirname(path)).catch(() => undefined);
    if (parent && isInside(root.real, parent)) {
      return join(parent, basename(path));
    }
    this.note(this.outside, { path, code: 'outside-root' });
    this.keep('outside-root');
    return undefined;
  }

  /**
   * Deletes a file or a link itself. On Windows a link to a folder (and a
   * junction) cannot be unlinked; rmdir removes the link and never the
   * folder it points to. Returns the error code, or undefined.
   */
  private async unlinkEntry(path: string, stats: Stats) {
    try {
      await unlink(path);
      return undefined;
    } catch (error) {
      const code = String((error as NodeJS.ErrnoException).code);
      const win = this.options.platform === 'win32';
      if (!(win && stats.isSymbolicLink() && code === 'EPERM')) return code;
      return rmdir(path).then(
        () => undefined,
        (e: NodeJS.ErrnoException) => String(e.code),
      );
    }
  }

  /** EBUSY, and EPERM on Windows, mean another process holds the file. */
  private failed(path: string, code: string) {
    const win = this.options.platform === 'win32';
    if (code === 'EBUSY' || (win && code === 'EPERM')) {
      return this.keep('in-use');
    }
    if (code === 'ENOENT') return this.keep('changed');
    this.deleteFailures += 1;
    this.note(this.failures, { path, code });
    return this.keep('error');
  }

  private keep(reason: KeepReason): false {
    this.kept[reason] = (this.kept[reason] ?? 0) + 1;
    return false;
  }

  private note(list: PathProblem[], problem: PathProblem) {
    if (list.length < defaults.keepProblems) list.push(problem);
  }

  private count(category: CleanupCategory, add: CategoryTotals) {
    const t = this.totals.get(category) ?? { files: 0, bytes: 0, dirs: 0 };
    this.totals.set(category, {
      files: t.files + add.files,
      bytes: t.bytes + add.bytes,
      dirs: t.dirs + add.dirs,
    });
  }
}
