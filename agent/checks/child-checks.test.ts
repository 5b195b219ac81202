import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, zoneOffsetTableOf } from '../../core/index.js';
import { HELPER_ARG } from '../helper-process.js';
import { createLogger } from '../logger.js';
import { runCommand } from '../platform/command.js';
import { helperZoneTables } from '../scheduler/zone-tables.js';
import { CHECK_ORDER, childProcessChecks } from './child-checks.js';
import { defaultChecks } from './registry.js';

/** The agent's entry run from source, as the bundle runs itself. */
const helper = {
  command: process.execPath,
  args: ['--import', 'tsx', 'agent/main.ts', HELPER_ARG],
};

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function stateDir() {
  const dir = await mkdtemp(join(tmpdir(), 'upkeep-child-checks-'));
  dirs.push(dir);
  return dir;
}

function context(lines: string[]) {
  return {
    now: () => new Date(),
    policy: DEFAULT_POLICY,
    platform: process.platform,
    run: runCommand,
    logger: createLogger({ write: (line) => lines.push(line) }),
    trigger: 'on-demand' as const,
  };
}

describe('childProcessChecks', () => {
  it('lists the kinds of the registry in its order on every platform', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const kinds = defaultChecks({ platform, stateDir: 'x' }).map(
        (c) => c.kind,
      );
      expect(kinds).toEqual(CHECK_ORDER);
    }
  });

  it('runs disk-space in a helper process and hands back its result', async () => {
    const lines: string[] = [];
    const checks = childProcessChecks({
      helper,
      platform: 'linux',
      stateDir: await stateDir(),
    });
    const disk = checks.find((c) => c.kind === 'disk-space');

    const result = await disk?.run(context(lines));

    expect(result?.verdict).toMatch(/^(ok|info|warning|critical)$/);
    const volumes = result?.data.volumes as { mount?: string }[];
    expect(volumes.map((v) => v.mount)).toContain('/');
  }, 60_000);

  it('turns a helper that fails into an agent.probe-failed finding', async () => {
    const lines: string[] = [];
    const checks = childProcessChecks({
      helper: { command: process.execPath, args: ['-e', 'process.exit(3)'] },
      platform: 'linux',
      stateDir: await stateDir(),
    });

    const result = await checks[0]?.run(context(lines));

    expect(result?.verdict).toBe('unknown');
    expect(result?.findings.map((f) => f.code)).toEqual(['agent.probe-failed']);
    expect(result?.findings[0]?.detail?.reason).toMatch(/exit status 3/);
    expect(lines.some((l) => l.includes('check process failed'))).toBe(true);
  });
});

describe('helperZoneTables', () => {
  it('has a helper work out a zone table that core then answers from', async () => {
    const prepare = helperZoneTables(runCommand, helper);
    const now = Date.UTC(2026, 11, 4, 12);

    await prepare('Europe/Berlin', now);

    const table = zoneOffsetTableOf('Europe/Berlin');
    expect(table?.fromMs).toBeLessThan(now);
    expect(table?.changes.map((c) => c.atMs)).toContain(
      Date.UTC(2027, 2, 28, 1),
    );
  }, 60_000);
});
