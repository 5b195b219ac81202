import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { agentBuildOptions } from './esbuild-options.js';

const run = promisify(execFile);

/** Where `npm run build` puts the standalone agent. */
export const AGENT_BUNDLE = 'dist/agent/index.mjs';
const AGENT_ENTRY = 'agent/main.ts';

/** Source folders the agent bundle is built from. */
const BUNDLE_SOURCES = ['agent', 'core'];

export interface BundleFigures {
  path: string;
  bytes: number;
  gzipBytes: number;
  /** Whether this run rebuilt it (missing, stale or --build). */
  rebuilt: boolean;
  /** Bytes in the minified output by package or source folder. */
  composition: { source: string; bytes: number }[];
}

/**
 * Builds with scripts/build.mjs when the bundle is missing, older than a
 * source it is built from, or `force` is set; then sizes it, and tells
 * what its bytes are made of from a metafile build of the same entry.
 */
export async function measureBundle(
  root: string,
  node: string,
  force: boolean,
): Promise<BundleFigures> {
  const path = join(root, AGENT_BUNDLE);
  const rebuilt = force || isStale(root, path);
  if (rebuilt) await run(node, ['scripts/build.mjs'], { cwd: root });

  const bytes = readFileSync(path);
  return {
    path: AGENT_BUNDLE,
    bytes: bytes.length,
    gzipBytes: gzipSync(bytes).length,
    rebuilt,
    composition: await composition(root),
  };
}

async function composition(root: string) {
  const result = await build({
    ...agentBuildOptions,
    absWorkingDir: root,
    entryPoints: [AGENT_ENTRY],
    write: false,
    outfile: 'agent.mjs',
    metafile: true,
  });
  return bytesBySource(result.metafile);
}

/**
 * Sums each input's bytes in the output by npm package, or by the first
 * two path segments for the repo's own code (`core/catalogue`).
 */
export function bytesBySource(metafile: Metafile) {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const source = sourceOf(input);
      totals.set(source, (totals.get(source) ?? 0) + bytesInOutput);
    }
  }
  return [...totals]
    .map(([source, bytes]) => ({ source, bytes }))
    .filter((s) => s.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
}

export function sourceOf(input: string) {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (pkg?.[1]) return pkg[1];
  return input.split('/').slice(0, 2).join('/');
}

function isStale(root: string, bundle: string) {
  let built: number;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    return true;
  }
  return BUNDLE_SOURCES.some((dir) => newerThan(join(root, dir), built));
}

function newerThan(dir: string, time: number): boolean {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (newerThan(path, time)) return true;
    } else if (!entry.name.endsWith('.test.ts')) {
      if (statSync(path).mtimeMs > time) return true;
    }
  }
  return false;
}
