import type { BuildOptions } from 'esbuild';
// @ts-expect-error: a plain ES module shared with scripts/build.mjs.
import { agentBuildOptions as shared } from '../../scripts/build-options.mjs';

/** The options `npm run build` gives the agent bundle. */
export const agentBuildOptions: BuildOptions = shared;
