import { join } from 'node:path';
import { build } from 'esbuild';
import { agentBuildOptions } from './esbuild-options.js';

const ENTRY = 'bench/agent/checks-entry.ts';

/**
 * Bundles the checks child like the agent bundle into `outDir`; returns
 * the bundle's path and size. The standalone agent runs only disk-space
 * and takes no command to run the others, so this child is the agent
 * with every check, built the same way.
 */
export async function buildChecksChild(root: string, outDir: string) {
  const outfile = join(outDir, 'checks-child.mjs');
  const result = await build({
    ...agentBuildOptions,
    absWorkingDir: root,
    entryPoints: [ENTRY],
    outfile,
    metafile: true,
  });
  const output = Object.values(result.metafile.outputs)[0];
  return { path: outfile, bytes: output?.bytes ?? 0 };
}
