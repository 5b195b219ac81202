// The agent with its checks in its own process, for the explain pass: the
// standalone entry (agent/main.ts) without the helper command, so that
// every check, the finding catalogue and the ICU time zone data are loaded
// into the long-running agent, as before the helpers existed.
import { runAgentCommand } from '../../agent/cli.js';

process.exitCode = await runAgentCommand(process.argv.slice(2));
