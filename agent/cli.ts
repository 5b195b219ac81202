import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type AgentHandle, startAgent } from './agent.js';
import { AgentError } from './errors.js';
import type { HelperCommand } from './helper-process.js';
import { defaultThingName } from './identity.js';
import { type AgentLogger, createLogger, type LogLevel } from './logger.js';
import {
  AGENT_STATES_ROOT,
  bindStateFolder,
  defaultStateDir,
  STATE_BOUND_CODE,
} from './state/thing-binding.js';
import { bundleFromFlags } from './transport/install-bundle.js';
import {
  CONNECT_ERROR_CODE,
  type TlsMaterial,
} from './transport/mqtt-session.js';

/**
 * `upkeep agent`: the endpoint agent from the command line. Flags win over
 * the environment (UPKEEP_MQTT_PORT only, as `upkeep local` reads it),
 * which wins over the defaults; there is no config file.
 *
 * Exit status: 0 done, 1 the run failed (the broker refused or could not
 * be reached, or no PUBACK within --timeout), 2 the command line is wrong
 * or the state folder belongs to another thing.
 */
export const cliDefaults = {
  /** The local stack's plain MQTT listener (upkeep local). */
  broker: 'mqtt://127.0.0.1:18830',
  /**
   * Moves the default broker's port, as it moves the local stack's
   * listener: an agent started beside `UPKEEP_MQTT_PORT=... upkeep local`
   * finds it without --broker.
   */
  brokerPortEnv: 'UPKEEP_MQTT_PORT',
  /** The state folder is <state>/<thing name>: one folder per thing. */
  state: AGENT_STATES_ROOT,
  /** --once gives up when the report is not acknowledged by then, s. */
  timeoutSeconds: 30,
  logLevel: 'INFO' as LogLevel,
};

const HELP = `Usage: upkeep agent [options]

Runs the endpoint agent: connects to the broker over MQTT, says hello, and
runs its six checks (antivirus, spyware-scan, cleanup, disk-space, smart,
patch-assessment) on the cycle table: each at its own period, and at once
when the cloud starts a cycle. Reports go to the broker; what is not yet
acknowledged waits in the outbox in the state folder.

Logs are JSON lines on stderr; --once prints the report alone on stdout
(keep only it with 2>/dev/null, or quieten the log with --log-level ERROR).

Options:
  --broker URL       MQTT broker, mqtt:// or mqtts://
                     (default ${cliDefaults.broker}, the local stack;
                     env ${cliDefaults.brokerPortEnv} moves its port)
  --thing NAME       thing name and MQTT client id
                     (default: this host's name, lower-case, sanitised)
  --state DIR        folder for the agent's state, bound to its thing on
                     first use (default ${cliDefaults.state}/<thing>)
  --once             run disk-space once, wait for the broker's PUBACK, exit;
                     exits 1 at once if the broker cannot be reached
  --timeout SEC      with --once: give up after SEC seconds (default 30)
  --interval SEC     run disk-space every SEC seconds instead of the cycle
                     table (for tests and demos)
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
  /** The environment read for defaults. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
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
    const { connection, ...options } = {
      ...(await agentOptions(flags, io)),
      ...(helper ? { helper } : {}),
    };
    await bindStateFolder(options.stateDir, options.thingName);
    return flags.once
      ? await runOnce(
          options,
          connection,
          seconds(flags.timeout, 'timeout'),
          io,
        )
      : await runUntilStopped(options, io);
  } catch (error) {
    const usage =
      error instanceof AgentError &&
      (error.code === 'invalid-config' || error.code === STATE_BOUND_CODE);
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
  const connection = watchConnection(
    createLogger({
      level: level as LogLevel,
      fields: { thingName },
      write: (line) => io.stderr(`${line}\n`),
    }),
  );
  return {
    brokerUrl:
      bundle?.brokerUrl ?? flags.broker ?? defaultBroker(io.env ?? process.env),
    ...(bundle ? { groups: bundle.groups } : {}),
    ...(bundle?.jobs ? { jobs: bundle.jobs } : {}),
    thingName,
    stateDir: flags.state ?? defaultStateDir(thingName),
    tls: bundle?.tls ?? (await tlsMaterial(flags)),
    ...(interval ? { checkIntervalMs: interval * 1000 } : {}),
    logger: connection.logger,
    connection,
  };
}

/** The local stack's listener, on the port UPKEEP_MQTT_PORT names. */
function defaultBroker(env: Readonly<Record<string, string | undefined>>) {
  const name = cliDefaults.brokerPortEnv;
  const raw = env[name];
  if (raw === undefined || raw === '') return cliDefaults.broker;

  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65_535) {
    throw usageError(
      `${name} must be a port from 1 to 65535, got ${JSON.stringify(raw)}`,
    );
  }
  return cliDefaults.broker.replace(/:\d+$/, `:${port}`);
}

interface ConnectionWatch {
  logger: AgentLogger;
  /** Resolves with the reason of the first failed connection. */
  failed: Promise<string>;
}

/**
 * Sees the session's connection errors through the log (the session logs
 * each new reason at WARN with CONNECT_ERROR_CODE), so that --once can
 * stop at the first one instead of waiting for its timeout.
 */
function watchConnection(logger: AgentLogger): ConnectionWatch {
  let fail: (reason: string) => void = () => undefined;
  const failed = new Promise<string>((resolve) => {
    fail = resolve;
  });
  return {
    failed,
    logger: {
      ...logger,
      warn(message, fields) {
        if (fields?.code === CONNECT_ERROR_CODE) fail(String(fields.reason));
        logger.warn(message, fields);
      },
    },
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

type Options = Omit<Awaited<ReturnType<typeof agentOptions>>, 'connection'>;

async function runOnce(
  options: Options,
  connection: ConnectionWatch,
  timeoutSeconds: number,
  io: CliIo,
) {
  const agent = await startAgent({ ...options, schedule: false });
  try {
    const report = await agent.runCheck('disk-space', 'on-demand');
    const delivered = await within(
      Promise.race([agent.drained().then(() => true), connection.failed]),
      timeoutSeconds * 1000,
    );
    if (typeof delivered === 'string') {
      io.stderr(
        `upkeep agent: cannot connect to ${options.brokerUrl}: ${delivered}; ` +
          `report ${report.reportId} stays in the outbox\n`,
      );
      return 1;
    }
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

/** What `promise` gives when it settles first, false when `ms` pass first. */
async function within<T>(promise: Promise<T>, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const result = await Promise.race([promise, timeout]);
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
