import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeThingCommand, IoTClient } from '@aws-sdk/client-iot';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { describe, expect, it, onTestFinished } from 'vitest';
// @ts-expect-error: the build options are plain JavaScript
import { agentBuildOptions } from '../scripts/build-options.mjs';
import {
  enrolDevice,
  enroll,
  localFlags,
  scratchDir,
  startEnrolmentStack,
} from './enroll-test-kit.js';

const local = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};

function documentClient(endpoint: string) {
  const dynamo = new DynamoDBClient({ ...local, endpoint });
  onTestFinished(() => dynamo.destroy());
  return DynamoDBDocumentClient.from(dynamo);
}

/** The standalone agent, built as `npm run build` ships it. */
async function agentBundle() {
  const outdir = scratchDir();
  await build({
    ...agentBuildOptions,
    entryPoints: { index: join(import.meta.dirname, '../agent/main.ts') },
    outdir,
    outExtension: { '.js': '.mjs' },
  });
  return join(outdir, 'index.mjs');
}

function runAgent(bundle: string, args: string[]) {
  const child = spawn(process.execPath, [bundle, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onTestFinished(() => {
    child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve) =>
      child.once('exit', (code) => resolve({ code, stdout, stderr })),
  );
}

describe('upkeep enroll', () => {
  it('prints its options with --help', async () => {
    const result = await enroll(['--help']);

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: upkeep enroll --client C --site S/);
  });

  it('refuses a run without --site, with exit 2', async () => {
    const result = await enroll(['--client', 'acme']);

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--site is required/);
  });

  it('refuses a client id that cannot name a group', async () => {
    const result = await enroll(['--client', 'Acme Ltd', '--site', 'hq']);

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/client id is 1-48 of a-z/);
  });

  it('registers the thing, its groups and its tenant and writes a bundle', async () => {
    const target = await startEnrolmentStack();
    const bundle = join(scratchDir(), 'my bundle');

    const result = await enroll([
      ...['--client', 'acme', '--site', 'hq', '--name', 'acme-laptop-7'],
      ...['--out', bundle, ...localFlags(target)],
    ]);

    expect(result.status, result.stderr).toBe(0);
    // The enroll kit runs from the temporary folder, beside the stack's.
    const shown = (path: string) => relative(tmpdir(), path);
    expect(result.stdout.trim().split('\n').at(-1)).toBe(
      `next: npx upkeep agent --bundle '${shown(bundle)}' --state ` +
        shown(join(target.stateDir, 'agents', 'acme-laptop-7')),
    );
    const config = JSON.parse(
      readFileSync(join(bundle, 'config.json'), 'utf8'),
    );
    expect(config).toEqual({
      v: 1,
      endpoint: '127.0.0.1',
      port: Number(new URL(target.stack.mqttsUrl).port),
      thingName: 'acme-laptop-7',
      clientId: 'acme',
      siteId: 'hq',
      cycleGroup: 'client-acme_hq',
      // The agent then trusts the jobs this stack signs.
      jobSigning: target.stack.jobSigning,
    });
    expect(statSync(join(bundle, 'private.pem.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(bundle, 'root-ca.pem'), 'utf8')).toBe(
      target.stack.caCertificatePem,
    );
    const iot = new IoTClient({ ...local, endpoint: target.stack.iotEndpoint });
    onTestFinished(() => iot.destroy());
    const thing = await iot.send(
      new DescribeThingCommand({ thingName: 'acme-laptop-7' }),
    );
    expect(thing.attributes).toEqual({
      clientId: 'acme',
      siteId: 'hq',
      cycleGroup: 'client-acme_hq',
    });
    const doc = documentClient(target.stack.dynamoEndpoint);
    const { Item } = await doc.send(
      new GetCommand({
        TableName: 'upkeep',
        Key: { pk: 'DEVICE#acme-laptop-7', sk: 'META' },
      }),
    );
    expect(Item).toMatchObject({ clientId: 'acme', siteId: 'hq' });
  });

  it('refuses to overwrite a bundle and a device of another client', async () => {
    const target = await startEnrolmentStack();
    const bundle = await enrolDevice(target, 'acme', 'hq', 'shared-name');
    const flags = localFlags(target);

    const again = await enroll([
      ...['--client', 'acme', '--site', 'hq', '--name', 'shared-name'],
      ...['--out', bundle, ...flags],
    ]);
    const otherClient = await enroll([
      ...['--client', 'globex', '--site', 'hq', '--name', 'shared-name'],
      ...['--out', join(scratchDir(), 'b'), ...flags],
    ]);

    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already holds a bundle/);
    expect(otherClient.status).toBe(1);
    expect(otherClient.stderr).toMatch(
      /CreateThing failed: ResourceAlreadyExistsException/,
    );
  });

  it('gives a fresh agent process what it needs to report over mTLS', async () => {
    const target = await startEnrolmentStack();
    const bundle = await enrolDevice(target, 'acme', 'hq', 'acme-laptop-9');
    const agent = await agentBundle();

    const run = await runAgent(agent, [
      ...['--bundle', bundle, '--once', '--timeout', '20'],
      ...['--state', join(scratchDir(), 'agent')],
    ]);

    expect(run.stderr).not.toMatch(/"level":"ERROR"/);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    const doc = documentClient(target.stack.dynamoEndpoint);
    await expect
      .poll(
        async () =>
          (
            await doc.send(
              new GetCommand({
                TableName: 'upkeep',
                Key: { pk: 'DEVICE#acme-laptop-9', sk: 'CHECK#disk-space' },
              }),
            )
          ).Item?.reportId,
        { timeout: 15_000, interval: 200 },
      )
      .toBe(report.reportId);
    const refusals = target.logLines.filter(
      (l) => l.message === 'mqtt request denied',
    );
    expect(refusals).toEqual([]);
  });
});
