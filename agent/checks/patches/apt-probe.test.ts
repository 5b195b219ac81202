import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, policySection } from '../../../core/index.js';
import { type CommandRunner, runCommand } from '../../platform/command.js';
import { listAge, probeApt } from './apt-probe.js';
import { judgePatches } from './judge.js';

const policy = policySection(DEFAULT_POLICY, 'patches');
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'upkeep-apt-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** How many Inst lines apt itself prints right now on this machine. */
async function instLines() {
  const r = await runCommand('apt-get', ['-s', 'dist-upgrade'], {
    env: { ...process.env, LC_ALL: 'C' },
  });
  return r.stdout.split('\n').filter((l) => l.startsWith('Inst ')).length;
}

// Each real apt-get simulation takes a few seconds on two cores.
const APT_MS = 60_000;

describe('probeApt on this machine', () => {
  it(
    'reads what a real dist-upgrade simulation would install',
    async () => {
      const now = new Date();
      const probe = await probeApt(runCommand, now);
      const result = judgePatches(probe, policy, now);

      expect(probe.problems).toEqual([]);
      expect(probe.state?.source).toBe('apt');
      expect(probe.state?.updates).toHaveLength(await instLines());
      expect(probe.state?.listAgeDays).toBeGreaterThanOrEqual(0);
      expect(result.data.missing).toBe(probe.state?.updates?.length);
      expect(result.verdict).not.toBe('unknown');
    },
    APT_MS,
  );

  it(
    'reports unknown, never zero, when apt has no package lists',
    async () => {
      const now = new Date();
      const probe = await probeApt(runCommand, now, { listsDir: dir });
      const result = judgePatches(probe, policy, now);

      expect(result.verdict).toBe('critical');
      expect(result.data.missing).toBeNull();
      expect(result.findings.map((f) => f.code)).toEqual([
        'patch.status-unknown',
      ]);
      expect(result.findings[0]?.title).toContain('no package lists');
    },
    APT_MS,
  );

  it(
    'reports a pending restart from the flag file',
    async () => {
      const flag = join(dir, 'reboot-required');
      await writeFile(flag, '*** System restart required ***\n');
      const now = new Date();

      const probe = await probeApt(runCommand, now, { rebootFlag: flag });
      const result = judgePatches(probe, policy, now);

      expect(probe.state?.rebootPending).toBe(true);
      expect(result.findings.map((f) => f.code)).toContain(
        'patch.reboot-pending',
      );
    },
    APT_MS,
  );

  it('turns a missing apt-get into a probe failure and unknown', async () => {
    const absent: CommandRunner = (_c, args, o) =>
      runCommand('apt-get-not-installed', args, o);
    const now = new Date();

    const result = judgePatches(await probeApt(absent, now), policy, now);

    expect(result.verdict).toBe('critical');
    expect(result.data.missing).toBeNull();
    expect(result.findings.map((f) => f.code)).toEqual([
      'agent.probe-failed',
      'patch.status-unknown',
    ]);
    expect(result.findings[0]?.detail).toMatchObject({
      command: 'apt-get-not-installed -s dist-upgrade',
    });
    expect(String(result.findings[0]?.detail?.error)).toContain('ENOENT');
  });

  it('reports a failing apt with its command and exit status', async () => {
    // A real process that prints an apt lock error and exits 100.
    const locked: CommandRunner = (_c, _a, o) =>
      runCommand(
        'sh',
        [
          '-c',
          'echo "E: Could not get lock /var/lib/dpkg/lock-frontend" >&2;' +
            ' exit 100',
        ],
        o,
      );
    const now = new Date();

    const result = judgePatches(await probeApt(locked, now), policy, now);

    expect(result.findings[0]).toMatchObject({
      code: 'patch.apt-locked',
      detail: { exitCode: 100 },
    });
    expect(result.verdict).toBe('critical');
  });
});

describe('listAge', () => {
  it('takes the newest Release file and ignores other files', async () => {
    const now = new Date('2025-03-10T12:00:00Z');
    const at = (days: number) => (now.getTime() - days * 86_400_000) / 1000;
    await writeFile(join(dir, 'a_dists_x_InRelease'), '');
    await writeFile(join(dir, 'b_dists_y_Release'), '');
    await writeFile(join(dir, 'lock'), '');
    await mkdir(join(dir, 'partial'));
    await utimes(join(dir, 'a_dists_x_InRelease'), at(9), at(9));
    await utimes(join(dir, 'b_dists_y_Release'), at(3), at(3));
    await utimes(join(dir, 'lock'), at(0), at(0));

    expect(await listAge(dir, now)).toBe(3);
  });

  it('gives undefined for a folder without Release files', async () => {
    expect(await listAge(dir, new Date())).toBeUndefined();
  });
});
