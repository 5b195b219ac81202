import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IoTClient } from '@aws-sdk/client-iot';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BundleConfig } from '../agent/transport/install-bundle.js';
import { signingKeyFromSecret } from '../lambdas/lib/job-signing.js';
import { localDefaults } from '../local/config.js';
import { amazonRootCa1, writeBundle } from './enroll-bundle.js';
import { type EnrolledDevice, enrolDevice } from './enroll-device.js';
import { writeDirectory } from './enroll-directory.js';
import { EnrollError } from './enroll-errors.js';
import { agentCommandHint, enrolledStateDir } from './enroll-hint.js';
import {
  ENROLL_HELP,
  type EnrollTarget,
  enrollDefaults,
  type ParsedEnroll,
  parseEnrollCommand,
} from './enroll-options.js';

export interface EnrollIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  now: () => number;
}

const processIo: EnrollIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  now: Date.now,
};

/**
 * `upkeep enroll`: one device, from nothing to an install bundle.
 * Exit status: 0 enrolled, 1 a call or write failed, 2 the command line is
 * wrong.
 */
export async function runEnrollCommand(
  argv: string[],
  io: EnrollIo = processIo,
): Promise<number> {
  let parsed: ParsedEnroll;
  try {
    parsed = parseEnrollCommand(argv, io.env, io.cwd);
  } catch (error) {
    io.stderr(`upkeep enroll: ${(error as Error).message}\n\n${ENROLL_HELP}`);
    return 2;
  }
  if (parsed.kind === 'help') {
    io.stdout(ENROLL_HELP);
    return 0;
  }

  try {
    const summary = await enrol(parsed, io);
    io.stdout(summary);
    return 0;
  } catch (error) {
    const usage =
      error instanceof EnrollError && error.code === 'invalid-usage';
    io.stderr(`upkeep enroll: ${(error as Error).message}\n`);
    return usage ? 2 : 1;
  }
}

async function enrol(
  { common, target }: Extract<ParsedEnroll, { kind: 'run' }>,
  { now, cwd }: Pick<EnrollIo, 'now' | 'cwd'>,
) {
  // Read before any call: a local stack that never started has no CA.
  const rootCaPem = rootCaOf(target);
  const jobSigning = jobSigningOf(target);
  const clients = clientsFor(target);
  try {
    const device = await enrolDevice(clients.iot, {
      ...common,
      deploymentName: target.deploymentName,
      policyName: target.policyName,
      thingTypeName: target.thingTypeName,
    });
    await writeDirectory(clients.doc, target.tableName, common, now());
    const config = { ...bundleConfig(device, common, target), jobSigning };
    writeBundle(common.outDir, config, { ...device, rootCaPem });
    // On AWS there is no stack folder: the agent's default one.
    const stateRoot =
      target.kind === 'local'
        ? target.stateDir
        : resolve(cwd, localDefaults.stateDir);
    const hint = agentCommandHint(
      common.outDir,
      enrolledStateDir(stateRoot, device.thingName),
      { cwd },
    );
    return summaryOf(device, config, common.outDir, hint);
  } finally {
    clients.iot.destroy();
    clients.dynamo.destroy();
  }
}

function rootCaOf(target: EnrollTarget) {
  if (target.kind === 'aws') return amazonRootCa1();
  try {
    return readFileSync(target.caPath, 'utf8');
  } catch (cause) {
    throw new EnrollError(
      'missing-setting',
      `no local CA at ${target.caPath}; start the stack (upkeep local) ` +
        'with the same --state first',
      { cause },
    );
  }
}

/**
 * The key agents verify remedy jobs with: the local stack's, derived from
 * its secret as its functions derive it; on AWS the public key the stack
 * publishes (output JobSigningPublicKey), so enrolment never reads the seed.
 */
function jobSigningOf(target: EnrollTarget) {
  if (target.kind === 'aws') return target.jobSigning;
  let secret: string;
  try {
    secret = readFileSync(target.signingSecretPath, 'utf8').trim();
  } catch (cause) {
    throw new EnrollError(
      'missing-setting',
      `no job-signing secret at ${target.signingSecretPath}; start the ` +
        'stack (upkeep local) with the same --state first',
      { cause },
    );
  }
  const { keyId, publicKeyPem } = signingKeyFromSecret(secret);
  return { keyId, publicKeyPem };
}

/** The real SDK clients: loopback with fixed keys, or the standard chain. */
function clientsFor(target: EnrollTarget) {
  const local =
    target.kind === 'local'
      ? {
          region: target.region,
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {};
  const iot = new IoTClient({
    ...local,
    ...(target.kind === 'local' ? { endpoint: target.iotEndpoint } : {}),
  });
  const dynamo = new DynamoDBClient({
    ...local,
    ...(target.kind === 'local' ? { endpoint: target.dynamoEndpoint } : {}),
  });
  return { iot, dynamo, doc: DynamoDBDocumentClient.from(dynamo) };
}

function bundleConfig(
  device: EnrolledDevice,
  common: { clientId: string; siteId: string },
  target: EnrollTarget,
): BundleConfig {
  return {
    v: 1,
    endpoint: device.endpointAddress,
    port: target.kind === 'local' ? target.mqttsPort : enrollDefaults.awsPort,
    thingName: device.thingName,
    clientId: common.clientId,
    siteId: common.siteId,
    cycleGroup: device.cycleGroup,
  };
}

function summaryOf(
  device: EnrolledDevice,
  config: BundleConfig,
  dir: string,
  hint: string,
) {
  return [
    `enrolled ${device.thingName} (client ${config.clientId}, site ${config.siteId})`,
    `  certificate  ${device.certificateId}`,
    `  endpoint     ${config.endpoint}:${config.port}`,
    `  bundle       ${dir}`,
    hint,
    '',
  ].join('\n');
}
