import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../core/index.js';
import { silentLogger } from '../../logger.js';
import { runCommand } from '../../platform/command.js';
import { readCase } from '../../test-support/cases.js';
import type { CheckContext } from '../types.js';
import { SMART_BASELINE_FILE } from './baseline-store.js';
import { createBaselinedSmartCheck } from './with-baseline.js';

const dir = mkdtempSync(join(tmpdir(), 'upkeep-smart-baseline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const context: CheckContext = {
  now: () => new Date('2026-03-02T10:00:00Z'),
  policy: DEFAULT_POLICY,
  platform: 'linux',
  run: runCommand,
  logger: silentLogger,
  trigger: 'on-demand',
};

/**
 * A stand-in smartctl (a real process) that prints the recorded Samsung
 * 970 EVO document with its media error count set to `count`.
 */
function smartctlPrinting(count: number) {
  const doc = readCase('smart-nvme-media-errors.json').replace(
    '"media_errors": 7,',
    `"media_errors": ${count},`,
  );
  writeFileSync(join(dir, 'smartctl.json'), doc);
  const binary = join(dir, 'smartctl');
  writeFileSync(binary, `#!/bin/sh\ncat '${join(dir, 'smartctl.json')}'\n`);
  chmodSync(binary, 0o755);
  return binary;
}

function mediaErrors(findings: { code: string; severity: string }[]) {
  return findings.find((f) => f.code === 'smart.nvme-media-errors');
}

describe('createBaselinedSmartCheck', () => {
  // Oracle: media errors are a warning at first sight, critical when they
  // grew since the stored baseline, and history (info) while they hold.
  it('judges media errors against the counters of the previous run', async () => {
    const stateDir = join(dir, 'state');
    const check = () =>
      createBaselinedSmartCheck({
        stateDir,
        devices: ['/dev/nvme0'],
        binary: join(dir, 'smartctl'),
      });

    smartctlPrinting(7);
    const first = await check().run(context);
    smartctlPrinting(9);
    const grown = await check().run(context);
    const held = await check().run(context);

    expect(mediaErrors(first.findings)?.severity).toBe('warning');
    expect(mediaErrors(grown.findings)).toMatchObject({
      severity: 'critical',
      detail: { count: 9, baseline: 7, delta: 2 },
    });
    expect(mediaErrors(held.findings)?.severity).toBe('info');
    const stored = JSON.parse(
      readFileSync(join(stateDir, SMART_BASELINE_FILE), 'utf8'),
    );
    expect(
      stored.drives['Samsung SSD 970 EVO 500GB (REDACTED-SERIAL)'],
    ).toMatchObject({ counters: { 'nvme.media_errors': 9 } });
  });

  it('starts afresh when the stored baselines are not JSON', async () => {
    const stateDir = join(dir, 'corrupt');
    const check = createBaselinedSmartCheck({
      stateDir,
      devices: ['/dev/nvme0'],
      binary: smartctlPrinting(7),
    });
    await check.run(context);
    writeFileSync(join(stateDir, SMART_BASELINE_FILE), '{"v":1,"dri');

    const result = await check.run(context);

    expect(mediaErrors(result.findings)?.severity).toBe('warning');
  });
});
