import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signingKeyFromSecret } from '../lambdas/lib/job-signing.js';
import { amazonRootCa1 } from './enroll-bundle.js';
import { parseEnrollCommand } from './enroll-options.js';
import { scratchDir } from './enroll-test-kit.js';

const device = ['--client', 'acme', '--site', 'hq', '--name', 'acme-1'];

/** The deployment's seed; the stack publishes only its public half. */
const SEED = 'Zq8Rk2vT0mWc5yHn3LpD7sGx1bJf9aUe4oKi6tNr2wQh8zVm0cXy5dBg3lPs7uEj';
const PUBLIC_KEY = signingKeyFromSecret(SEED).publicKeyRaw;

/** What `cdk deploy --outputs-file` writes, with a second stack beside. */
function outputsFile() {
  const path = join(scratchDir(), 'cdk-outputs.json');
  writeFileSync(
    path,
    JSON.stringify({
      'upkeep-staging': { ApiUrl: 'https://api.example' },
      'upkeep-eu': {
        TableName: 'upkeep-eu-DataTable1A2B3C',
        DevicePolicyName: 'upkeep-eu-device',
        ThingTypeName: 'upkeep-eu-endpoint',
        JobSigningPublicKey: PUBLIC_KEY,
      },
    }),
  );
  return path;
}

describe('parseEnrollCommand', () => {
  it('aims at the local stack by default, on its documented ports', () => {
    const parsed = parseEnrollCommand(device, {}, '/srv');

    expect(parsed).toMatchObject({
      kind: 'run',
      common: { thingName: 'acme-1', outDir: '/srv/bundle-acme-1' },
      target: {
        kind: 'local',
        iotEndpoint: 'http://127.0.0.1:18443',
        dynamoEndpoint: 'http://127.0.0.1:18400',
        mqttsPort: 18_883,
        caPath: '/srv/.state/pki/ca.crt.pem',
        thingTypeName: 'upkeep-endpoint',
      },
    });
  });

  it('takes the deployment names from the stack outputs with --aws', () => {
    const parsed = parseEnrollCommand(
      [...device, '--aws', '--outputs', outputsFile()],
      {},
      '/srv',
    );

    expect(parsed).toMatchObject({
      target: {
        kind: 'aws',
        deploymentName: 'upkeep-eu',
        tableName: 'upkeep-eu-DataTable1A2B3C',
        policyName: 'upkeep-eu-device',
        thingTypeName: 'upkeep-eu-endpoint',
      },
    });
  });

  it('puts the published job-signing key in the target, as a local bundle has it', () => {
    const parsed = parseEnrollCommand(
      [...device, '--aws', '--outputs', outputsFile()],
      {},
      '/srv',
    );

    const { keyId, publicKeyPem } = signingKeyFromSecret(SEED);
    expect(parsed).toMatchObject({
      target: { kind: 'aws', jobSigning: { keyId, publicKeyPem } },
    });
  });

  it('takes the job-signing key from --job-key over the outputs', () => {
    const other = signingKeyFromSecret(`${SEED}-rotated`);
    const parsed = parseEnrollCommand(
      [
        ...device,
        '--aws',
        '--outputs',
        outputsFile(),
        '--job-key',
        other.publicKeyRaw,
      ],
      {},
      '/srv',
    );

    expect(parsed).toMatchObject({
      target: { jobSigning: { keyId: other.keyId } },
    });
  });

  it('needs the job-signing key for --aws', () => {
    const parse = () =>
      parseEnrollCommand(
        [...device, '--aws', '--table', 'upkeep-DataTable'],
        {},
        scratchDir(),
      );

    expect(parse).toThrow(/job-signing public key comes from --job-key/);
  });

  it('needs a table name for --aws without stack outputs', () => {
    const parse = () =>
      parseEnrollCommand([...device, '--aws'], {}, scratchDir());

    expect(parse).toThrow(/table name comes from --table/);
  });

  it('refuses a port out of range', () => {
    const parse = () =>
      parseEnrollCommand([...device, '--iot-port', '70000'], {}, '/srv');

    expect(parse).toThrow(/--iot-port must be a port from 1 to 65535/);
  });
});

describe('amazonRootCa1', () => {
  it("takes Amazon Root CA 1 from Node's CA store", () => {
    const pem = amazonRootCa1();

    const certificate = new X509Certificate(pem);
    expect(certificate.subject).toContain('CN=Amazon Root CA 1');
    expect(certificate.verify(certificate.publicKey)).toBe(true);
  });

  it('fails clearly when the store lacks it', () => {
    expect(() => amazonRootCa1([])).toThrow(/no Amazon Root CA 1/);
  });
});
