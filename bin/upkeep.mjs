#!/usr/bin/env node
// The command-line entry. The TypeScript sources are bundled into dist/ by
// `npm run build`, which `npm ci` runs through the prepare script.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url));
if (!existsSync(cli)) {
  console.error('upkeep: dist/cli.mjs is missing; run `npm run build` first');
  process.exit(2);
}
const { main } = await import(cli);
process.exitCode = await main(process.argv.slice(2));
