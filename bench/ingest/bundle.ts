import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { median } from '../lib/stats.js';

const run = promisify(execFile);

/** Where `npm run build` puts the ingest Lambda. */
export const INGEST_BUNDLE = 'dist/lambdas/ingest/index.mjs';

/** Source folders the ingest bundle is built from. */
const BUNDLE_SOURCES = ['lambdas/ingest', 'lambdas/lib', 'core'];

export interface BundleFigures {
  path: string;
  bytes: number;
  gzipBytes: number;
  /** Whether this run rebuilt it (missing, stale or --build). */
  rebuilt: boolean;
}

export interface ColdImportFigures {
  /** Median time to import the bundle in a fresh process, ms. */
  medianMs: number;
  runsMs: number[];
  /** Median wall time of the whole process, spawn to exit, ms. */
  processMedianMs: number;
  /**
   * Median time to import only the packages the bundle imports at start
   * and leaves external (the AWS SDK, which the Lambda runtime provides),
   * ms: the part of the import that the bundle's own size does not decide.
   */
  externalsMedianMs: number;
  externals: string[];
  /** External packages the bundle imports on first use only (`import()`). */
  onFirstUse: string[];
  /** Median time to import only the DynamoDB packages among them, ms. */
  dynamoExternalsMedianMs: number;
}

/**
 * Builds with `npm run build` when the bundle is missing, older than a
 * source file it is built from, or `force` is set, then sizes it.
 */
export async function measureBundle(
  root: string,
  node: string,
  force: boolean,
): Promise<BundleFigures> {
  const path = join(root, INGEST_BUNDLE);
  const rebuilt = force || isStale(root, path);
  if (rebuilt) await run(node, ['scripts/build.mjs'], { cwd: root });

  const bytes = readFileSync(path);
  return {
    path: INGEST_BUNDLE,
    bytes: bytes.length,
    gzipBytes: gzipSync(bytes).length,
    rebuilt,
  };
}

/**
 * Imports the bundle in `runs` fresh node processes. The clock starts in
 * the child right before the dynamic import, so it counts module loading
 * (the AWS SDK from node_modules, as the Lambda runtime provides it) and
 * the module's top level (config, clients, handler), not node's start.
 */
export async function measureColdImport(
  root: string,
  node: string,
  runs: number,
): Promise<ColdImportFigures> {
  const bundlePath = join(root, INGEST_BUNDLE);
  const bundleUrl = pathToFileURL(bundlePath).href;
  const { atStart: externals, onFirstUse } = await externalPackages(bundlePath);
  const runsMs: number[] = [];
  const processMs: number[] = [];
  const externalsMs: number[] = [];
  const dynamoExternals = externals.filter((name) => /dynamodb/.test(name));
  const dynamoMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    runsMs.push(await importTime(node, root, [bundleUrl], true));
    processMs.push(performance.now() - start);
    externalsMs.push(await importTime(node, root, externals, false));
    dynamoMs.push(await importTime(node, root, dynamoExternals, false));
  }
  return {
    medianMs: median(runsMs),
    runsMs,
    processMedianMs: median(processMs),
    externalsMedianMs: median(externalsMs),
    externals,
    onFirstUse,
    dynamoExternalsMedianMs: median(dynamoMs),
  };
}

/** Imports `specifiers` in a fresh node and returns the ms it took. */
async function importTime(
  node: string,
  root: string,
  specifiers: string[],
  expectHandler: boolean,
) {
  const script = [
    'const start = performance.now();',
    `const specifiers = ${JSON.stringify(specifiers)};`,
    'const modules = [];',
    'for (const s of specifiers) modules.push(await import(s));',
    'const elapsed = performance.now() - start;',
    expectHandler
      ? "if (typeof modules[0]?.handler !== 'function') process.exit(2);"
      : '',
    'process.stdout.write(elapsed.toFixed(2));',
  ].join('\n');
  const { stdout } = await run(node, ['--input-type=module', '-e', script], {
    cwd: root,
    env: lambdaEnv(),
  });
  return Number(stdout.trim());
}

/**
 * The packages the bundle imports at run time (not node: builtins), read
 * by esbuild's parser from the bundle itself: a text search would also
 * find strings that merely look like imports. `atStart` are imported with
 * the bundle; `onFirstUse` only by an `import()` when a path needs them.
 */
export async function externalPackages(bundlePath: string) {
  const { metafile } = await build({
    entryPoints: [bundlePath],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  const atStart = new Set<string>();
  const dynamic = new Set<string>();
  for (const input of Object.values(metafile.inputs)) {
    for (const imported of input.imports) {
      if (!imported.external || imported.path.startsWith('node:')) continue;
      const found = imported.kind === 'dynamic-import' ? dynamic : atStart;
      found.add(imported.path);
    }
  }
  const onFirstUse = [...dynamic].filter((name) => !atStart.has(name));
  return { atStart: [...atStart].sort(), onFirstUse: onFirstUse.sort() };
}

/**
 * What the Lambda's environment holds at import; the values are never
 * used to connect, only read into the config.
 */
function lambdaEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    TABLE_NAME: 'upkeep',
    DEAD_LETTER_QUEUE_URL: 'http://127.0.0.1:9/000000000000/upkeep-ingest-dlq',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    POWERTOOLS_LOG_LEVEL: 'WARN',
  };
}

function isStale(root: string, bundlePath: string) {
  const built = mtimeOf(bundlePath);
  if (built === undefined) return true;
  return BUNDLE_SOURCES.some((dir) => newestIn(join(root, dir)) > built);
}

function newestIn(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? newestIn(path) : (mtimeOf(path) ?? 0);
    newest = Math.max(newest, time);
  }
  return newest;
}

function mtimeOf(path: string) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}
