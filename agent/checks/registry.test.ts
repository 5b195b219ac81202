import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHECK_KINDS, CYCLES, DEFAULT_POLICY } from '../../core/index.js';
import { silentLogger } from '../logger.js';
import type { CommandRunner } from '../platform/command.js';
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

describe("defaultChecks: each platform's probes", () => {
  /** Records the commands a check starts; each one fails to start. */
  async function commandsOf(platform: NodeJS.Platform, kind: string) {
    const commands: string[] = [];
    const run: CommandRunner = async (command, args) => {
      commands.push(command);
      return {
        command,
        args,
        exitCode: null,
        stdout: '',
        stderr: '',
        timedOut: false,
        spawnError: `spawn ${command} ENOENT`,
      };
    };
    const dir = join(stateDir, `${platform}-${kind}`);
    const check = defaultChecks({ platform, stateDir: dir }).find(
      (c) => c.kind === kind,
    );
    await check?.run({
      now: () => new Date(),
      policy: DEFAULT_POLICY,
      platform,
      run,
      logger: silentLogger,
      trigger: 'on-demand',
    });
    return commands;
  }

  it('reads Defender and SecurityCenter2 for antivirus on Windows', async () => {
    expect(await commandsOf('win32', 'antivirus')).toEqual([
      'powershell.exe',
      'powershell.exe',
    ]);
  });

  it('reads the install history for antivirus on macOS', async () => {
    expect(await commandsOf('darwin', 'antivirus')).toEqual([
      '/usr/sbin/system_profiler',
    ]);
  });

  it('falls back to the reliability counters for SMART on Windows', async () => {
    expect(await commandsOf('win32', 'smart')).toEqual([
      'smartctl',
      'powershell.exe',
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
