import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { THING_NAME_PATTERN } from '../core/index.js';
import { LocalConfigError } from './errors.js';
import { assertPort } from './net/listen.js';

/**
 * Defaults of `upkeep local`. The ports sit away from the well-known ones
 * (1883 MQTT, 8080 HTTP, 4566/8000 AWS emulators) that are often taken.
 */
export const localDefaults = {
  /** Relative to the working directory. */
  stateDir: '.state',
  mqttPort: 18_830,
  /** MQTT over mTLS for enrolled devices (IoT Core uses 8883). */
  mqttsPort: 18_883,
  apiPort: 18_080,
  sqsPort: 18_324,
  dynamoPort: 18_400,
  iotPort: 18_443,
  /** Run an agent checking this machine. */
  agent: true,
} as const;

/** One option: its flag, its environment variable and what it sets. */
const PORT_OPTIONS = [
  {
    flag: 'mqtt-port',
    env: 'UPKEEP_MQTT_PORT',
    key: 'mqttPort',
    what: 'MQTT broker',
  },
  {
    flag: 'mqtts-port',
    env: 'UPKEEP_MQTTS_PORT',
    key: 'mqttsPort',
    what: 'MQTT mTLS listener',
  },
  {
    flag: 'api-port',
    env: 'UPKEEP_API_PORT',
    key: 'apiPort',
    what: 'HTTP API',
  },
  {
    flag: 'sqs-port',
    env: 'UPKEEP_SQS_PORT',
    key: 'sqsPort',
    what: 'SQS stand-in',
  },
  {
    flag: 'dynamo-port',
    env: 'UPKEEP_DYNAMO_PORT',
    key: 'dynamoPort',
    what: 'dynalite',
  },
  {
    flag: 'iot-port',
    env: 'UPKEEP_IOT_PORT',
    key: 'iotPort',
    what: 'IoT Jobs control plane',
  },
] as const;

export type PortKey = (typeof PORT_OPTIONS)[number]['key'];

/**
 * How to move the listener that asked for `port`: `--api-port (or
 * UPKEEP_API_PORT)`; undefined when no option of `config` asked for it.
 */
export function portOptionOf(
  config: Record<PortKey, number>,
  port: number,
): string | undefined {
  const option = PORT_OPTIONS.find((o) => config[o.key] === port);
  return option && `--${option.flag} (or ${option.env})`;
}

export interface LocalConfig extends Record<PortKey, number> {
  /** Absolute path of the state folder. */
  stateDir: string;
  agent: boolean;
  /** The agent's thing name; undefined lets the agent derive it. */
  thingName?: string;
}

export type ParsedCommand =
  | { kind: 'help' }
  | { kind: 'run'; config: LocalConfig };

export const STATE_ENV = 'UPKEEP_STATE_DIR';

/**
 * Reads the flags, then the environment, then the defaults, in that order of
 * precedence. Unknown flags and bad values fail fast with LocalConfigError.
 */
export function parseLocalCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): ParsedCommand {
  const flags = parseFlags(argv);
  if (flags.help) return { kind: 'help' };

  const choices = PORT_OPTIONS.map((o) => ({
    key: o.key,
    ...readPort(o.flag, flags[o.flag], o.env, env[o.env], localDefaults[o.key]),
  }));
  refuseSharedPorts(choices);
  const ports = Object.fromEntries(
    choices.map((c) => [c.key, c.port]),
  ) as Record<PortKey, number>;
  const thingName = flags.thing;
  if (thingName !== undefined && !THING_NAME_PATTERN.test(thingName)) {
    throw new LocalConfigError(
      '--thing must be 1-128 of [a-zA-Z0-9:_-], ' +
        `got ${JSON.stringify(thingName)}`,
    );
  }

  const state = flags.state ?? env[STATE_ENV] ?? localDefaults.stateDir;
  return {
    kind: 'run',
    config: {
      ...ports,
      stateDir: resolve(cwd, state),
      agent: !flags['no-agent'],
      ...(thingName ? { thingName } : {}),
    },
  };
}

function parseFlags(argv: readonly string[]) {
  const portFlags = Object.fromEntries(
    PORT_OPTIONS.map((o) => [o.flag, { type: 'string' as const }]),
  ) as Record<(typeof PORT_OPTIONS)[number]['flag'], { type: 'string' }>;

  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        state: { type: 'string' },
        thing: { type: 'string' },
        'no-agent': { type: 'boolean' },
        ...portFlags,
      },
    }).values;
  } catch (error) {
    throw new LocalConfigError((error as Error).message, { cause: error });
  }
}

function readPort(
  flag: string,
  flagValue: string | undefined,
  envName: string,
  envValue: string | undefined,
  fallback: number,
): PortChoice {
  const [source, raw] =
    flagValue !== undefined
      ? [`--${flag}`, flagValue]
      : envValue !== undefined && envValue !== ''
        ? [envName, envValue]
        : [undefined, undefined];
  if (source === undefined) {
    return { port: fallback, source: `the default of --${flag}` };
  }

  if (!/^\d+$/.test(raw)) {
    throw new LocalConfigError(
      `${source} must be a port number from 0 to 65535, ` +
        `got ${JSON.stringify(raw)}`,
    );
  }
  return { port: assertPort(source, Number(raw)), source };
}

/** A port and what set it: the flag, the variable or the default. */
interface PortChoice {
  port: number;
  /** `--api-port`, `UPKEEP_API_PORT` or `the default of --api-port`. */
  source: string;
}

/**
 * Two listeners cannot share a port: the second would fail to bind after
 * the first had started. Refused here, as a bad option, naming what set
 * each one. Port 0 is never shared: the OS picks a free port each time.
 */
function refuseSharedPorts(choices: readonly PortChoice[]) {
  const seen = new Map<number, string>();
  for (const { port, source } of choices) {
    if (port === 0) continue;
    const other = seen.get(port);
    if (other !== undefined) {
      throw new LocalConfigError(
        `${other} and ${source} both ask for port ${port}; give each its own`,
      );
    }
    seen.set(port, source);
  }
}

/** `--help` is read in an 80-column terminal. */
const USAGE_WIDTH = 80;
/** Where an option's description starts. */
const DESCRIPTION_COLUMN = 24;

/**
 * One option of `--help`: the flag, what it sets and, in parentheses, its
 * variable and default; the parenthesis moves to a line of its own when
 * the whole would pass USAGE_WIDTH.
 */
function optionLines(flag: string, what: string, note?: string): string[] {
  const head = `  ${flag}`.padEnd(DESCRIPTION_COLUMN) + what;
  if (note === undefined) return [head];

  const joined = `${head} (${note})`;
  if (joined.length <= USAGE_WIDTH) return [joined];
  return [head, `${' '.repeat(DESCRIPTION_COLUMN)}(${note})`];
}

/** The option table of `--help`, built from the same list as the parser. */
export function localUsage(): string {
  const ports = PORT_OPTIONS.flatMap((o) =>
    optionLines(
      `--${o.flag} <port>`,
      `${o.what} port`,
      `env ${o.env}, default ${localDefaults[o.key]}`,
    ),
  );
  return [
    'Usage: upkeep local [options]',
    '',
    'Runs the whole system on this machine in one process: an MQTT broker,',
    'the topic rules, the SQS queues, the ingest and API handlers over',
    'dynalite, the HTTP API and an agent checking this machine. Everything',
    'listens on 127.0.0.1 only.',
    '',
    'Options:',
    ...optionLines(
      '--state <dir>',
      'state folder',
      `env ${STATE_ENV}, default ${localDefaults.stateDir}`,
    ),
    ...ports,
    ...optionLines(
      '--thing <name>',
      'thing name of the local agent',
      'default: <host name>-local',
    ),
    ...optionLines('--no-agent', 'do not run an agent on this machine'),
    ...optionLines('-h, --help', 'show this help'),
    '',
    'Flags win over environment variables, which win over the defaults.',
    'Port 0 picks a free port. Stop with Ctrl-C; the state folder keeps the',
    'devices and reports for the next start.',
  ].join('\n');
}
