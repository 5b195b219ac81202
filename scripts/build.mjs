// Bundles the command-line entry, the agent and every Lambda with esbuild.
// Each Lambda folder under lambdas/ that has a handler.ts is one function.
import { existsSync, readdirSync } from 'node:fs';
import { build } from 'esbuild';

const lambdas = readdirSync('lambdas', { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`lambdas/${d.name}/handler.ts`))
  .map((d) => d.name);

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // Some CommonJS dependencies call require(); ESM bundles need one.
  banner: {
    js:
      "import { createRequire as __upkeepRequire } from 'node:module';" +
      'const require = __upkeepRequire(import.meta.url);',
  },
};

await build({
  ...common,
  entryPoints: { cli: 'cli/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  // Native or heavy server-side packages stay external for the CLI.
  packages: 'external',
});

await build({
  ...common,
  entryPoints: { 'agent/index': 'agent/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  minify: true,
});

for (const name of lambdas) {
  await build({
    ...common,
    entryPoints: { [`lambdas/${name}/index`]: `lambdas/${name}/handler.ts` },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    minify: true,
    // As in infra: the Lambda runtime provides AWS SDK v3.
    external: ['@aws-sdk/*'],
  });
}
