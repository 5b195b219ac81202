/**
 * The `upkeep` command: one dispatcher, one module per subcommand, loaded
 * only when used so that `upkeep agent` does not pull in the local stack.
 */
import { readFileSync } from 'node:fs';

type Command = (argv: string[]) => Promise<number>;

interface CommandEntry {
  summary: string;
  load: () => Promise<Command>;
}

const COMMANDS: Record<string, CommandEntry> = {
  local: {
    summary: 'run the whole system on this machine (broker, API, agent)',
    load: async () => (await import('../local/cli.js')).runLocalCommand,
  },
  enroll: {
    summary: 'enrol a device: thing, certificate and its install bundle',
    load: async () => (await import('./enroll.js')).runEnrollCommand,
  },
  token: {
    summary: "print an access token of the local stack's API issuer",
    load: async () => (await import('./token.js')).runTokenCommand,
  },
  agent: {
    summary: 'run the endpoint agent against a broker',
    load: async () => (await import('../agent/cli.js')).runAgentCommand,
  },
  diagnose: {
    summary: 'judge one recorded machine output (smartctl, AV, disk, WU)',
    load: async () =>
      (await import('../agent/diagnose/cli.js')).runDiagnoseCommand,
  },
  simulate: {
    summary: 'run a simulated roaming fleet: coverage, duplicates, cost',
    load: async () =>
      (await import('../local/simulate/cli.js')).runSimulateCommand,
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(
    ([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`,
  );
  return [
    'Usage: upkeep <command> [options]',
    '',
    'Preventive maintenance for the desktops and laptops an MSP manages.',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `upkeep <command> --help` for the options of one command.',
  ].join('\n');
}

function version(): string {
  const url = new URL('../package.json', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')).version;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;

  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }

  const entry = COMMANDS[name];
  if (!entry) {
    process.stderr.write(`upkeep: unknown command '${name}'\n\n${usage()}\n`);
    return 2;
  }

  const command = await entry.load();
  return command(rest);
}
