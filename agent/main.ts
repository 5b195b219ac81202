// The standalone agent bundle's entry (dist/agent/index.mjs): the same
// command as `upkeep agent`, without the rest of the command line.
import { runAgentCommand } from './cli.js';

process.exitCode = await runAgentCommand(process.argv.slice(2));
