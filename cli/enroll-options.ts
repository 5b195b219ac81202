import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultThingName } from '../agent/identity.js';
import { cycleGroupOf, THING_NAME_PATTERN } from '../core/index.js';
import { localDefaults, STATE_ENV } from '../local/config.js';
import {
  type BundleJobSigning,
  jobSigningFromPublicKey,
} from './enroll-aws-signing.js';
import { EnrollError } from './enroll-errors.js';

export const enrollDefaults = {
  ring: 'broad',
  /** `cdk deploy --outputs-file` writes the stack outputs here. */
  outputsFile: 'cdk-outputs.json',
  /** AWS IoT Core's MQTT over TLS port. */
  awsPort: 8883,
  /** The local stack's names, as the deployment `upkeep` has them. */
  local: {
    deploymentName: 'upkeep',
    tableName: 'upkeep',
    policyName: 'upkeep-device',
    thingTypeName: 'upkeep-endpoint',
    region: 'us-east-1',
  },
} as const;

export const ENROLL_HELP = `Usage: upkeep enroll --client C --site S [options]

Registers one device in AWS IoT (thing, groups, certificate, policy),
records it under its client and site, and writes the install bundle the
agent connects with (upkeep agent --bundle DIR). Against the local stack by
default; --aws for the MSP's account.

Options:
  --client ID        client (tenant) id: a-z, 0-9, "-" (required)
  --site ID          site id of that client (required)
  --name NAME        thing name (default: this host's name, sanitised)
  --ring NAME        patch ring: joins <deployment>-ring-NAME (default ${enrollDefaults.ring})
  --out DIR          bundle folder, must not hold a bundle
                     (default ./bundle-<name>)
  -h, --help         show this help

Local stack (default):
  --state DIR        the stack's state folder, for its CA
                     (env ${STATE_ENV}, default ${localDefaults.stateDir})
  --iot-port PORT    IoT control plane (env UPKEEP_IOT_PORT, default ${localDefaults.iotPort})
  --dynamo-port PORT dynalite (env UPKEEP_DYNAMO_PORT, default ${localDefaults.dynamoPort})
  --mqtts-port PORT  mTLS listener (env UPKEEP_MQTTS_PORT, default ${localDefaults.mqttsPort})

AWS (--aws): region and credentials from the SDK's standard chain
(AWS_REGION, AWS_PROFILE, ~/.aws/config).
  --outputs FILE     stack outputs of cdk deploy --outputs-file
                     (default ${enrollDefaults.outputsFile})
  --stack NAME       the deployment (stack name) (default: the stack of
                     that file with a TableName output, else upkeep)
  --table NAME       DynamoDB table (default: output TableName)
  --policy NAME      IoT policy (default: output DevicePolicyName,
                     else <stack>-device)
  --thing-type NAME  thing type (default: output ThingTypeName,
                     else <stack>-endpoint)
  --job-key BASE64   the job-signing public key agents verify remedy jobs
                     with (default: output JobSigningPublicKey)
`;

const OPTIONS = {
  client: { type: 'string' },
  site: { type: 'string' },
  name: { type: 'string' },
  ring: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  aws: { type: 'boolean' },
  state: { type: 'string' },
  'iot-port': { type: 'string' },
  'dynamo-port': { type: 'string' },
  'mqtts-port': { type: 'string' },
  outputs: { type: 'string' },
  stack: { type: 'string' },
  table: { type: 'string' },
  policy: { type: 'string' },
  'thing-type': { type: 'string' },
  'job-key': { type: 'string' },
} as const;

interface Common {
  clientId: string;
  siteId: string;
  thingName: string;
  ring: string;
  outDir: string;
}

export type EnrollTarget =
  | {
      kind: 'local';
      /** The stack's state folder, absolute (--state, UPKEEP_STATE_DIR). */
      stateDir: string;
      iotEndpoint: string;
      dynamoEndpoint: string;
      mqttsPort: number;
      /** The local CA certificate, PEM. */
      caPath: string;
      /** The stack's job-signing secret (local/iot/signing-secret.ts). */
      signingSecretPath: string;
      deploymentName: string;
      tableName: string;
      policyName: string;
      thingTypeName: string;
      region: string;
    }
  | {
      kind: 'aws';
      deploymentName: string;
      tableName: string;
      policyName: string;
      thingTypeName?: string;
      /** From the stack's public key output (infra/lib/remedies.ts). */
      jobSigning: BundleJobSigning;
    };

export type ParsedEnroll =
  | { kind: 'help' }
  | { kind: 'run'; common: Common; target: EnrollTarget };

type Env = Readonly<Record<string, string | undefined>>;

/** Flags win over the environment, which wins over the defaults. */
export function parseEnrollCommand(
  argv: readonly string[],
  env: Env,
  cwd: string,
): ParsedEnroll {
  const flags = parseFlags(argv);
  if (flags.help) return { kind: 'help' };

  const clientId = requiredFlag(flags.client, 'client');
  const siteId = requiredFlag(flags.site, 'site');
  const ring = flags.ring ?? enrollDefaults.ring;
  scopeCheck(() => cycleGroupOf(clientId, siteId));
  scopeCheck(() => cycleGroupOf(ring));
  const thingName = flags.name ?? defaultThingName();
  if (!THING_NAME_PATTERN.test(thingName)) {
    throw usage(
      `--name must be 1-128 of [a-zA-Z0-9:_-], got ${JSON.stringify(thingName)}`,
    );
  }

  const outDir = resolve(cwd, flags.out ?? `bundle-${thingName}`);
  const common = { clientId, siteId, thingName, ring, outDir };
  const target = flags.aws
    ? awsTarget(flags, cwd)
    : localTarget(flags, env, cwd);
  return { kind: 'run', common, target };
}

type Flags = ReturnType<typeof parseFlags>;

function parseFlags(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, strict: true })
      .values;
  } catch (cause) {
    throw usage((cause as Error).message, cause);
  }
}

function localTarget(flags: Flags, env: Env, cwd: string): EnrollTarget {
  const state = flags.state ?? env[STATE_ENV] ?? localDefaults.stateDir;
  const port = (flag: keyof Flags, name: string, fallback: number) =>
    readPort(flag, flags[flag] as string | undefined, env[name], fallback);
  const iotPort = port('iot-port', 'UPKEEP_IOT_PORT', localDefaults.iotPort);
  const dynamoPort = port(
    'dynamo-port',
    'UPKEEP_DYNAMO_PORT',
    localDefaults.dynamoPort,
  );
  return {
    kind: 'local',
    stateDir: resolve(cwd, state),
    iotEndpoint: `http://127.0.0.1:${iotPort}`,
    dynamoEndpoint: `http://127.0.0.1:${dynamoPort}`,
    mqttsPort: port('mqtts-port', 'UPKEEP_MQTTS_PORT', localDefaults.mqttsPort),
    caPath: resolve(cwd, state, 'pki', 'ca.crt.pem'),
    signingSecretPath: resolve(cwd, state, 'signing', 'job-signing-secret'),
    ...enrollDefaults.local,
  };
}

function awsTarget(flags: Flags, cwd: string): EnrollTarget {
  const outputs = stackOutputs(
    resolve(cwd, flags.outputs ?? enrollDefaults.outputsFile),
    flags.outputs !== undefined,
    flags.stack,
  );
  const tableName = flags.table ?? outputs.TableName;
  if (!tableName) {
    throw new EnrollError(
      'missing-setting',
      'the table name comes from --table or from the TableName output in ' +
        '--outputs (npx cdk deploy --outputs-file cdk-outputs.json)',
    );
  }
  const jobKey = flags['job-key'] ?? outputs.JobSigningPublicKey;
  if (!jobKey) {
    throw new EnrollError(
      'missing-setting',
      'the job-signing public key comes from --job-key or from the ' +
        'JobSigningPublicKey output in --outputs; without it the agent ' +
        'could not verify remedy jobs',
    );
  }
  // The CDK app names these after the deployment (infra/lib/fleet.ts).
  const name = outputs.stackName;
  return {
    kind: 'aws',
    deploymentName: name,
    tableName,
    policyName: flags.policy ?? outputs.DevicePolicyName ?? `${name}-device`,
    thingTypeName:
      flags['thing-type'] ?? outputs.ThingTypeName ?? `${name}-endpoint`,
    jobSigning: jobSigningFromPublicKey(jobKey),
  };
}

/**
 * The outputs of one stack, and its name, which is the deployment name
 * (docs/deploy.md); without the default file, the deployment `upkeep`.
 */
function stackOutputs(
  path: string,
  mustExist: boolean,
  stack: string | undefined,
): Record<string, string | undefined> & { stackName: string } {
  let all: Record<string, Record<string, string>>;
  try {
    all = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    const absent = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    if (absent && !mustExist) {
      return { stackName: stack ?? enrollDefaults.local.deploymentName };
    }
    throw usage(`--outputs: cannot read ${path}`, cause);
  }
  const name =
    stack ?? Object.keys(all).find((key) => all[key]?.TableName !== undefined);
  const outputs = name === undefined ? undefined : all[name];
  if (!outputs || name === undefined) {
    throw usage(`${path} holds no stack ${stack ?? 'with a TableName output'}`);
  }
  return { ...outputs, stackName: name };
}

function readPort(
  flag: string,
  flagValue: string | undefined,
  envValue: string | undefined,
  fallback: number,
) {
  const raw = flagValue ?? (envValue === '' ? undefined : envValue);
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65_535) {
    throw usage(`--${flag} must be a port from 1 to 65535, got ${raw}`);
  }
  return port;
}

function requiredFlag(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw usage(`--${flag} is required`);
  return value;
}

function scopeCheck(check: () => unknown) {
  try {
    check();
  } catch (cause) {
    throw usage((cause as Error).message, cause);
  }
}

function usage(message: string, cause?: unknown) {
  return new EnrollError('invalid-usage', message, { cause });
}
