// Bundles the command-line entry, the agent and every Lambda with esbuild.
// Each Lambda folder under lambdas/ that has a handler.ts is one function.
import { existsSync, readdirSync } from 'node:fs';
import { build } from 'esbuild';
import {
  agentBuildOptions,
  commonOptions,
  lambdaBuildOptions,
} from './build-options.mjs';

const lambdas = readdirSync('lambdas', { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`lambdas/${d.name}/handler.ts`))
  .map((d) => d.name);

const out = { outdir: 'dist', outExtension: { '.js': '.mjs' } };

await build({
  ...commonOptions,
  ...out,
  entryPoints: { cli: 'cli/main.ts' },
  // The command runs from the checkout, beside its node_modules.
  packages: 'external',
});

await build({
  ...agentBuildOptions,
  ...out,
  entryPoints: { 'agent/index': 'agent/main.ts' },
});

for (const name of lambdas) {
  await build({
    ...lambdaBuildOptions,
    ...out,
    entryPoints: { [`lambdas/${name}/index`]: `lambdas/${name}/handler.ts` },
  });
}
