import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { addNagChecks, createApp } from './app.js';
import { SettingsError } from './errors.js';

const work = mkdtempSync(join(tmpdir(), 'upkeep-nag-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function appWithQueue(acknowledge: boolean) {
  const app = new App({ outdir: mkdtempSync(join(work, 'cdk.out-')) });
  const stack = new Stack(app, 'Probe');
  const queue = new Queue(stack, 'Plain', {
    encryption: QueueEncryption.UNENCRYPTED,
  });
  if (acknowledge) {
    for (const id of ['SQS2', 'SQS3', 'SQS4']) {
      Validations.of(queue).acknowledge({
        id: `AwsSolutions-${id}`,
        reason: 'a probe queue that exists only in this test',
      });
    }
  }
  addNagChecks(app);
  return app;
}

describe('addNagChecks', () => {
  // Oracle: a queue without encryption, TLS policy or DLQ breaks SQS2-4, so
  // the plugin must stop synthesis; acknowledging all three must let it pass.
  it('fails synthesis on an unacknowledged AwsSolutions finding', () => {
    const synth = () => appWithQueue(false).synth();

    expect(synth).toThrow(/AwsSolutions-SQS2/);
    expect(synth).toThrow(/AwsSolutions-SQS3/);
    expect(synth).toThrow(/AwsSolutions-SQS4/);
  });

  it('lets synthesis pass once every finding is acknowledged', () => {
    const assembly = appWithQueue(true).synth();

    expect(assembly.getStackByName('Probe').template.Resources).toBeDefined();
  });
});

describe('createApp', () => {
  it('refuses an invalid setting before building anything', () => {
    const build = () =>
      createApp({
        outdir: mkdtempSync(join(work, 'cdk.out-')),
        context: { 'upkeep:logRetentionDays': 15 },
      });

    expect(build).toThrow(SettingsError);
    expect(build).toThrow(/^upkeep:logRetentionDays: must be one of 1, 3/);
  });
});

describe('the CDK app entry', () => {
  const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
  const tsx = `${repoRoot}node_modules/tsx/dist/cli.mjs`;

  it('reports a bad setting on one line and exits 1', () => {
    const result = spawnSync(process.execPath, [tsx, 'infra/bin/upkeep.ts'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: {
        ...process.env,
        CDK_CONTEXT_JSON: JSON.stringify({ 'upkeep:logLevel': 'loud' }),
      },
    });

    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      'SettingsError SETTING_INVALID: upkeep:logLevel: must be one of ' +
        'DEBUG, INFO, WARN, ERROR; got "loud"',
    );
  });
});
