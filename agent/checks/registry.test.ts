import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHECK_KINDS, CYCLES } from '../../core/index.js';
import { SECURITY_PRODUCTS_FILE } from './antivirus/product-memory.js';
import { cycleChecks, defaultChecks, securityProductsOf } from './registry.js';

const stateDir = mkdtempSync(join(tmpdir(), 'upkeep-registry-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

describe('defaultChecks', () => {
  it.each(['linux', 'win32', 'darwin'] as const)(
    'registers every check kind once on %s',
    (platform) => {
      const kinds = defaultChecks({ platform, stateDir }).map((c) => c.kind);

      expect([...kinds].sort()).toEqual([...CHECK_KINDS].sort());
    },
  );

  it('lists cleanup before disk-space and the scans last', () => {
    const checks = defaultChecks({ platform: 'linux', stateDir });

    expect(checks.map((c) => c.kind)).toEqual([
      'cleanup',
      'disk-space',
      'patch-assessment',
      'antivirus',
      'smart',
      'spyware-scan',
    ]);
  });
});

describe('cycleChecks', () => {
  it('runs cleanup before disk-space in the maintenance cycle', () => {
    const checks = defaultChecks({ platform: 'linux', stateDir });
    const maintenance = CYCLES.find((c) => c.kind === 'maintenance');
    if (!maintenance) throw new Error('no maintenance cycle');

    const kinds = cycleChecks(checks, maintenance).map((c) => c.kind);

    expect(kinds).toEqual(['cleanup', 'disk-space']);
  });

  it('finds a check for every kind every cycle names', () => {
    const checks = defaultChecks({ platform: 'win32', stateDir });

    for (const cycle of CYCLES) {
      expect(cycleChecks(checks, cycle).map((c) => c.kind)).toEqual(
        cycle.checks,
      );
    }
  });
});

describe('securityProductsOf', () => {
  it('names the products the last antivirus run stored', () => {
    const dir = join(stateDir, 'products');
    mkdirSync(dir);
    const stored = { name: 'ClamAV', kind: 'antivirus' };
    writeFileSync(
      join(dir, SECURITY_PRODUCTS_FILE),
      JSON.stringify({ v: 1, products: [stored, stored] }),
    );

    const checks = defaultChecks({ platform: 'linux', stateDir: dir });

    expect(securityProductsOf(checks)).toEqual([stored]);
  });
});
