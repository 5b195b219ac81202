import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { agentBuildOptions } from './esbuild-options.js';

const run = promisify(execFile);

/** Where `npm run build` puts the standalone agent's entry. */
export const AGENT_BUNDLE = 'dist/agent/index.mjs';
/** The launcher the agent is started with (scripts/build-options.mjs). */
export const AGENT_LAUNCHER = 'dist/agent/upkeep-agent';
/** The parts the entry loads on demand (the agent, its helpers). */
const AGENT_CHUNKS = 'dist/agent/chunks';
const AGENT_ENTRY = 'agent/main.ts';

/** Source folders the agent bundle is built from. */
const BUNDLE_SOURCES = ['agent', 'core'];

export interface BundleFigures {
  path: string;
  /** The entry and every chunk it may load: what a device is shipped. */
  bytes: number;
  gzipBytes: number;
  /** Each file's size, the entry first. */
  files: { path: string; bytes: number }[];
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
  const rebuilt = force || isStale(root, join(root, AGENT_BUNDLE));
  if (rebuilt) await run(node, ['scripts/build.mjs'], { cwd: root });

  const chunks = readdirSync(join(root, AGENT_CHUNKS))
    .filter((name) => name.endsWith('.mjs'))
    .sort()
    .map((name) => `${AGENT_CHUNKS}/${name}`);
  const files = [AGENT_BUNDLE, ...chunks].map((file) => ({
    path: file,
    content: readFileSync(join(root, file)),
  }));
  return {
    path: AGENT_BUNDLE,
    bytes: files.reduce((sum, f) => sum + f.content.length, 0),
    gzipBytes: files.reduce((sum, f) => sum + gzipSync(f.content).length, 0),
    files: files.map((f) => ({ path: f.path, bytes: f.content.length })),
    rebuilt,
    composition: await composition(root),
  };
}

async function composition(root: string) {
  const result = await build({
    ...agentBuildOptions,
    absWorkingDir: root,
    entryPoints: { 'agent/index': AGENT_ENTRY },
    write: false,
    outdir: 'bench-metafile',
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
