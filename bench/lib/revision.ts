import { execFileSync } from 'node:child_process';

export interface Revision {
  /** The commit checked out, or 'unknown' outside a git work tree. */
  commit: string;
  /** Files under `paths` that differ from that commit. */
  uncommitted: string[];
}

/** Which code a figure was taken of: the commit and any local changes. */
export function describeRevision(root: string, paths: string[]): Revision {
  try {
    const git = (args: string[]) =>
      execFileSync('git', args, { cwd: root, encoding: 'utf8' });
    // Porcelain lines are "XY path"; X may be a space, so no trimming.
    const status = git(['status', '--porcelain', '--', ...paths]);
    return {
      commit: git(['rev-parse', 'HEAD']).trim(),
      uncommitted: status
        .split('\n')
        .filter((line) => line.length > 3)
        .map((line) => line.slice(3)),
    };
  } catch {
    return { commit: 'unknown', uncommitted: [] };
  }
}
