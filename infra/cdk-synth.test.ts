import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const cdkCli = join(repoRoot, 'node_modules/aws-cdk/bin/cdk');
const work = mkdtempSync(join(tmpdir(), 'upkeep-synth-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * The environment of a machine with no AWS configuration at all: no
 * credentials or profile, no instance metadata, and none of the CLI's calls
 * home (telemetry, version check, notices).
 */
function offlineEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')),
  );
  return {
    ...env,
    AWS_CONFIG_FILE: join(work, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    CDK_DISABLE_VERSION_CHECK: 'true',
  };
}

describe('npx cdk synth', () => {
  it('synthesises the stack offline, without credentials', () => {
    const out = join(work, 'cdk.out');

    const result = spawnSync(
      process.execPath,
      [cdkCli, 'synth', '--quiet', '--no-notices', '--output', out],
      { cwd: repoRoot, env: offlineEnv(), encoding: 'utf8', timeout: 90_000 },
    );

    expect(result.status, result.stderr).toBe(0);
    const templatePath = join(out, 'Upkeep.template.json');
    expect(existsSync(templatePath)).toBe(true);
    const template = JSON.parse(readFileSync(templatePath, 'utf8'));
    expect(template.Resources).toBeDefined();
    // Eight functions of ours and CDK's custom resource handler, at least.
    expect(
      Object.values(template.Resources).filter(
        (r) => (r as { Type: string }).Type === 'AWS::Lambda::Function',
      ).length,
    ).toBeGreaterThanOrEqual(9);
  }, 90_000);
});
