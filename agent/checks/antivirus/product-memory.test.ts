import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../core/index.js';
import { silentLogger } from '../../logger.js';
import { runCommand } from '../../platform/command.js';
import type { Check, CheckContext, CheckResult } from '../types.js';
import { withProductMemory } from './product-memory.js';

const dir = mkdtempSync(join(tmpdir(), 'upkeep-products-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const context: CheckContext = {
  now: () => new Date(),
  policy: DEFAULT_POLICY,
  platform: 'win32',
  run: runCommand,
  logger: silentLogger,
  trigger: 'on-demand',
};

/** A check whose result is set by the test (the judge is not under test). */
function answering(results: CheckResult[]): Check {
  return { kind: 'antivirus', run: async () => results.shift() as CheckResult };
}

const found = (names: string[]): CheckResult => ({
  verdict: 'ok',
  findings: [],
  data: {
    securityProducts: names.map((name) => ({ name, kind: 'antivirus' })),
  },
});

describe('withProductMemory', () => {
  it('names the products of the last run, also after a restart', async () => {
    const stateDir = join(dir, 'restart');
    const check = withProductMemory(
      answering([found(['Bitdefender Antivirus'])]),
      stateDir,
    );
    expect(check.securityProducts?.()).toEqual([]);

    await check.run(context);
    const restarted = withProductMemory(answering([]), stateDir);

    expect(check.securityProducts?.()).toEqual([
      { name: 'Bitdefender Antivirus', kind: 'antivirus' },
    ]);
    expect(restarted.securityProducts?.()).toEqual([
      { name: 'Bitdefender Antivirus', kind: 'antivirus' },
    ]);
  });

  it('keeps the list when a run could not tell', async () => {
    const unknown: CheckResult = {
      verdict: 'unknown',
      findings: [],
      data: { securityProducts: [] },
    };
    const check = withProductMemory(
      answering([found(['ClamAV']), unknown, found([])]),
      join(dir, 'unknown'),
    );

    await check.run(context);
    await check.run(context);
    const afterUnknown = check.securityProducts?.();
    await check.run(context);

    expect(afterUnknown).toEqual([{ name: 'ClamAV', kind: 'antivirus' }]);
    expect(check.securityProducts?.()).toEqual([]);
  });
});
