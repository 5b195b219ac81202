import type { BuildOptions } from 'esbuild';

/**
 * The options scripts/build.mjs gives the agent bundle. Known limitation:
 * a copy, as build.mjs is a script that builds when imported; a change
 * there must be made here too, or the checks child and the composition
 * figures drift from dist/agent/index.mjs. The bundle size figure itself
 * is read from dist and cannot drift.
 */
export const agentBuildOptions: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  minify: true,
  banner: {
    js:
      "import { createRequire as __upkeepRequire } from 'node:module';" +
      'const require = __upkeepRequire(import.meta.url);',
  },
};
