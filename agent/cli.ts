import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type AgentHandle, startAgent } from './agent.js';
import { AgentError } from './errors.js';
import type { HelperCommand } from './helper-process.js';
import { defaultThingName } from './identity.js';
import { createLogger, type LogLevel } from './logger.js';
import { bundleFromFlags } from './transport/install-bundle.js';
import type { TlsMaterial } from './transport/mqtt-session.js';

/**
 * `upkeep agent`: the endpoint agent from the command line. Flags win over
 * defaults; there is no environment or config file yet.
 *
 * Exit status: 0 done, 1 the run failed (no broker within --timeout),
 * 2 the command line is wrong.
 */
export const cliDefaults = {
  broker: 'mqtt://127.0.0.1:1883',
  state: '.state/agent',
  /** --once gives up when the report is not acknowledged by then, s. */
  timeoutSeconds: 30,
  logLevel: 'INFO' as LogLevel,
};

const HELP = `Usage: upkeep agent [options]

Runs the endpoint agent: connects to the broker over MQTT, says hello, and
checks this machine's disk space now and every --interval.

Options:
  --broker URL       MQTT broker, mqtt:// or mqtts://
                     (default ${cliDefaults.broker})
  --thing NAME       thing name and MQTT client id
                     (default: this host's name, lower-case, sanitised)
  --state DIR        folder for the agent's state (default ${cliDefaults.state})
  --once             run disk-space once, wait for the broker's PUBACK, exit
  --timeout SEC      with --once: give up after SEC seconds (default 30)
  --interval SEC     rerun disk-space every SEC seconds (default 14 days)
  --bundle DIR       install bundle of upkeep enroll: broker, thing, groups
                     and mTLS files (not with --broker, --thing, --ca,
                     --cert or --key)
  --ca FILE          PEM CA certificate of the broker (mqtts://)
  --cert FILE        PEM client certificate, for mutual TLS
  --key FILE         PEM private key of the client certificate
  --log-level LEVEL  DEBUG, INFO, WARN or ERROR (default INFO)
  -h, --help         show this help
`;

const OPTIONS = {
  broker: { type: 'string' },
  thing: { type: 'string' },
  state: { type: 'string' },
  once: { type: 'boolean' },
  timeout: { type: 'string' },
  interval: { type: 'string' },
  bundle: { type: 'string' },
  ca: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Ends a long-running agent; SIGINT and SIGTERM when not given. */
  signal?: AbortSignal;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

type Flags = ReturnType<typeof parseFlags>;

function parseFlags(argv: string[]) {
  // `upkeep agent ...` hands over what follows the subcommand; tolerate
  // the word itself for the standalone bundle.
  const args = argv[0] === 'agent' ? argv.slice(1) : argv;
  return parseArgs({ args, options: OPTIONS, strict: true }).values;
}

/**
 * `helper`: how to start the agent's helper processes (the standalone
 * bundle passes itself); without it, checks run in this process.
 */
export async function runAgentCommand(
  argv: string[],
  io: CliIo = processIo,
  helper?: HelperCommand,
): Promise<number> {
  let flags: Flags;
  try {
    flags = parseFlags(argv);
  } catch (error) {
    io.stderr(`upkeep agent: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (flags.help) {
    io.stdout(HELP);
    return 0;
  }

  try {
    const options = {
      ...(await agentOptions(flags, io)),
      ...(helper ? { helper } : {}),
    };
    return flags.once
      ? await runOnce(options, seconds(flags.timeout, 'timeout'), io)
      : await runUntilStopped(options, io);
  } catch (error) {
    const usage =
      error instanceof AgentError && error.code === 'invalid-config';
    io.stderr(`upkeep agent: ${(error as Error).message}\n`);
    return usage ? 2 : 1;
  }
}

async function agentOptions(flags: Flags, io: CliIo) {
  const level = (flags['log-level'] ?? cliDefaults.logLevel).toUpperCase();
  if (!['DEBUG', 'INFO', 'WARN', 'ERROR'].includes(level)) {
    throw usageError(`--log-level must be DEBUG, INFO, WARN or ERROR`);
  }
  const bundle = await bundleFromFlags(flags);
  const thingName = bundle?.thingName ?? flags.thing ?? defaultThingName();
  const interval = flags.interval ? seconds(flags.interval, 'interval') : 0;
  return {
    brokerUrl: bundle?.brokerUrl ?? flags.broker ?? cliDefaults.broker,
    ...(bundle ? { groups: bundle.groups } : {}),
    ...(bundle?.jobs ? { jobs: bundle.jobs } : {}),
    thingName,
    stateDir: flags.state ?? cliDefaults.state,
    tls: bundle?.tls ?? (await tlsMaterial(flags)),
    ...(interval ? { checkIntervalMs: interval * 1000 } : {}),
    logger: createLogger({
      level: level as LogLevel,
      fields: { thingName },
      write: (line) => io.stderr(`${line}\n`),
    }),
  };
}

async function tlsMaterial(flags: Flags): Promise<TlsMaterial | undefined> {
  const files = { ca: flags.ca, cert: flags.cert, key: flags.key };
  if (!files.ca && !files.cert && !files.key) return undefined;

  const material: TlsMaterial = {};
  for (const [name, file] of Object.entries(files)) {
    if (!file) continue;
    try {
      material[name as keyof TlsMaterial] = await readFile(file, 'utf8');
    } catch (cause) {
      throw usageError(`--${name}: cannot read ${file}`, cause);
    }
  }
  return material;
}

type Options = Awaited<ReturnType<typeof agentOptions>>;

async function runOnce(options: Options, timeoutSeconds: number, io: CliIo) {
  const agent = await startAgent({ ...options, schedule: false });
  try {
    const report = await agent.runCheck('disk-space', 'on-demand');
    const delivered = await within(agent.drained(), timeoutSeconds * 1000);
    if (!delivered) {
      const id = report.reportId;
      io.stderr(
        `upkeep agent: report ${id} not acknowledged within ${timeoutSeconds} s\n`,
      );
      return 1;
    }
    io.stdout(`${JSON.stringify(report)}\n`);
    return 0;
  } finally {
    await agent.stop();
  }
}

async function runUntilStopped(options: Options, io: CliIo) {
  const agent: AgentHandle = await startAgent(options);
  await stopRequested(io.signal);
  await agent.stop();
  return 0;
}

function stopRequested(signal?: AbortSignal) {
  return new Promise<void>((resolve) => {
    if (signal) {
      if (signal.aborted) resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
      return;
    }
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/** True when `promise` settles first, false when `ms` pass first. */
async function within(promise: Promise<unknown>, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const result = await Promise.race([promise.then(() => true), timeout]);
  clearTimeout(timer);
  return result;
}

function seconds(value: string | undefined, flag: string) {
  if (value === undefined) return cliDefaults.timeoutSeconds;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw usageError(`--${flag} must be a positive number of seconds`);
  }
  return number;
}

function usageError(message: string, cause?: unknown) {
  return new AgentError('invalid-config', message, { cause });
}
