import { join } from 'node:path';
import { build } from 'esbuild';
import { agentBuildOptions } from './esbuild-options.js';

const ENTRY = 'bench/agent/checks-entry.ts';

/**
 * Bundles the checks child like the agent bundle into `outDir`; returns
 * the entry's path and the size of all its files. The standalone agent
 * runs only what is due and takes no command to run the others, so this
 * child is the agent with every check, built the same way; its checks run
 * in helpers of the shipped bundle.
 */
export async function buildChecksChild(root: string, outDir: string) {
  const outdir = join(outDir, 'checks-child');
  const result = await build({
    ...agentBuildOptions,
    absWorkingDir: root,
    entryPoints: { 'agent/index': ENTRY },
    outdir,
    outExtension: { '.js': '.mjs' },
    metafile: true,
  });
  const outputs = Object.values(result.metafile.outputs);
  return {
    path: join(outdir, 'agent/index.mjs'),
    bytes: outputs.reduce((sum, o) => sum + o.bytes, 0),
  };
}
