// The standalone agent bundle's entry (dist/agent/index.mjs): the same
// command as `upkeep agent`, without the rest of the command line. The
// agent starts short-lived copies of this bundle as helpers (a check run,
// a time zone's offsets: agent/helper.ts), so that the code and data they
// need never stay in the long-running agent. Each part is loaded by a
// dynamic import, so a process evaluates only its own.
import { fileURLToPath } from 'node:url';
import { HELPER_ARG } from './helper-process.js';

const argv = process.argv.slice(2);

if (argv[0] === HELPER_ARG) {
  const { runHelper } = await import('./helper.js');
  process.exitCode = await runHelper(argv.slice(1));
} else {
  const { runAgentCommand } = await import('./cli.js');
  process.exitCode = await runAgentCommand(argv, undefined, {
    command: process.execPath,
    args: [...process.execArgv, fileURLToPath(import.meta.url), HELPER_ARG],
  });
}
