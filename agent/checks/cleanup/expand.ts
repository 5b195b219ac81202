import { lstat, readdir } from 'node:fs/promises';
import { join, parse, sep } from 'node:path';

/**
 * Expands every `*` segment of a root path into the real sub-folders that
 * exist. Links and junctions never match (readdir's entry type is the
 * link's own, as lstat gives), so "C:\Users\All Users" is not walked.
 */
export async function expandPattern(pattern: string): Promise<string[]> {
  const { root, dir, base } = parse(pattern);
  const segments = [...dir.slice(root.length).split(sep), base].filter(
    (s) => s.length > 0,
  );

  let paths = [root];
  for (const segment of segments) {
    if (segment !== '*') {
      paths = paths.map((p) => join(p, segment));
      continue;
    }
    const next: string[] = [];
    for (const p of paths) {
      const entries = await readdir(p, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (entry.isDirectory()) next.push(join(p, entry.name));
      }
    }
    paths = next;
  }
  return paths.sort();
}

/**
 * The first component of `path` that is a link or junction (Node reports a
 * junction as a symbolic link on lstat), or undefined when there is none.
 * A root reached through a link is refused: it may point anywhere.
 */
export async function linkInChain(path: string): Promise<string | undefined> {
  const { root } = parse(path);
  const segments = path.slice(root.length).split(sep).filter(Boolean);

  let current = root;
  for (const segment of segments) {
    current = join(current, segment);
    const stats = await lstat(current);
    if (stats.isSymbolicLink()) return current;
  }
  return undefined;
}

/** Whether `candidate` is `root` or below it (both already resolved). */
export function isInside(root: string, candidate: string): boolean {
  const base = root.endsWith(sep) ? root : root + sep;
  return candidate === root || candidate.startsWith(base);
}

/** Matches a top-level name against names with an optional trailing `*`. */
export function matchesName(name: string, patterns: readonly string[]) {
  return patterns.some((p) =>
    p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p,
  );
}
