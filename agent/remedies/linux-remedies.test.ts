import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../core/index.js';
import { createCleanupCheck } from '../checks/cleanup/index.js';
import { writeAged } from '../checks/cleanup/test-tree.js';
import { silentLogger } from '../logger.js';
import { runCommand } from '../platform/command.js';
import { cleanup } from './cleanup.js';
import { type Answer, fakeRunner } from './fake-runner.js';
import { freeSpaceForWu } from './free-space-for-wu.js';
import { rerunCheck } from './rerun-check.js';
import { startService } from './start-service.js';
import type { RemedyContext } from './types.js';
import { updateAvSignatures } from './update-av-signatures.js';

function linux(answers: Answer[] = []) {
  const fake = fakeRunner(answers);
  const ctx: RemedyContext = {
    platform: 'linux',
    run: fake.run,
    logger: silentLogger,
    now: () => new Date(),
    policy: DEFAULT_POLICY,
    checks: [],
    timeoutMs: 600_000,
  };
  return { ctx, calls: fake.calls };
}

const argv = (calls: { command: string; args: readonly string[] }[]) =>
  calls.map((c) => [c.command, ...c.args].join(' '));

describe('start-service on Linux', () => {
  it('enables and starts the unit, then asks systemd whether it is active', async () => {
    const { ctx, calls } = linux([
      {
        stderr:
          'Synchronizing state of clamav-daemon.service with SysV service ' +
          'script with /lib/systemd/systemd-sysv-install.\n',
      },
      { stdout: 'active\n' },
    ]);

    const outcome = await startService.run(ctx, { service: 'clamav-daemon' });

    expect(argv(calls)).toEqual([
      'systemctl enable --now clamav-daemon',
      'systemctl is-active clamav-daemon',
    ]);
    expect(outcome).toEqual({
      ok: true,
      summary: 'clamav-daemon is active and enabled',
      details: { exitCode: 0, state: 'active' },
    });
  });

  it('reports a unit that stays inactive as failed with systemctl words', async () => {
    const { ctx } = linux([
      {
        exitCode: 1,
        stderr:
          'Job for clamav-daemon.service failed because the control ' +
          'process exited with error code.\n',
      },
      { exitCode: 3, stdout: 'failed\n' },
    ]);

    const outcome = await startService.run(ctx, { service: 'clamav-daemon' });

    expect(outcome.ok).toBe(false);
    expect(outcome.summary).toBe(
      'clamav-daemon not started: Job for clamav-daemon.service failed ' +
        'because the control process exited with error code.',
    );
    expect(outcome.details).toEqual({ exitCode: 1, state: 'failed' });
  });

  it('refuses a unit outside the list before anything runs', () => {
    expect(startService.refuse?.({ service: 'ssh' }, 'linux')).toEqual({
      reason: 'not-allowed',
      message: "service ssh is not on this agent's service list",
    });
    expect(startService.refuse?.({ service: 'smartd' }, 'linux')).toBe(
      undefined,
    );
  });
});

describe('update-av-signatures for ClamAV', () => {
  it('runs freshclam and counts "up to date" as done', async () => {
    const { ctx, calls } = linux([
      {
        exitCode: 1,
        stdout:
          'daily.cld database is up-to-date (version: 27570, sigs: 2069877, ' +
          'f-level: 90, builder: raynman)\n',
      },
    ]);

    const outcome = await updateAvSignatures.run(ctx, { product: 'clamav' });

    expect(argv(calls)).toEqual(['freshclam --stdout']);
    expect(outcome).toMatchObject({
      ok: true,
      summary: 'ClamAV databases current',
    });
  });

  it('restarts the freshclam daemon when it holds the log (exit 62)', async () => {
    const { ctx, calls } = linux([
      {
        exitCode: 62,
        stdout:
          'ERROR: Problem with internal logger (UpdateLogFile = ' +
          '/var/log/clamav/freshclam.log).\n',
      },
      {},
    ]);

    const outcome = await updateAvSignatures.run(ctx, { product: 'clamav' });

    expect(argv(calls)).toEqual([
      'freshclam --stdout',
      'systemctl restart clamav-freshclam',
    ]);
    expect(outcome.ok).toBe(true);
    expect(outcome.details).toEqual({ exitCode: 62, restartExitCode: 0 });
  });

  it('fails with the last line freshclam printed on a network error', async () => {
    const { ctx } = linux([
      {
        exitCode: 52,
        stdout:
          "ERROR: Can't download daily.cvd from https://database.clamav.net/daily.cvd\n",
      },
    ]);

    const outcome = await updateAvSignatures.run(ctx, { product: 'clamav' });

    expect(outcome.ok).toBe(false);
    expect(outcome.summary).toBe(
      "freshclam failed: ERROR: Can't download daily.cvd from " +
        'https://database.clamav.net/daily.cvd',
    );
  });

  it('fails cleanly when freshclam is not installed', async () => {
    const ctx = { ...linux().ctx, run: runCommand };

    const outcome = await updateAvSignatures.run(ctx, { product: 'clamav' });

    expect(outcome.ok).toBe(false);
    expect(outcome.summary).toMatch(/^freshclam failed: .*ENOENT/);
  });
});

describe('cleanup', () => {
  let base: string;

  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'upkeep-remedy-'));
  });

  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  function cleanupCtx(platform: 'linux' | 'win32', answers: Answer[] = []) {
    const root = join(base, 'temp');
    const check = createCleanupCheck({
      stateDir: join(base, 'state'),
      roots: [{ category: 'temp-user', path: root }],
    });
    const fake = fakeRunner(answers);
    const ctx: RemedyContext = {
      ...linux().ctx,
      platform,
      run: platform === 'linux' ? runCommand : fake.run,
      checks: [check],
    };
    return { ctx, root, calls: fake.calls };
  }

  it('deletes old files for real although the policy says dry run', async () => {
    const { ctx, root } = cleanupCtx('linux');
    await writeAged(join(root, 'old.log'), 4096, 30);
    await writeAged(join(root, 'fresh.log'), 100, 0);
    expect(DEFAULT_POLICY.cleanup?.dryRun).toBe(true);

    const outcome = await cleanup.run(ctx, {});

    expect(await readdir(root)).toEqual(['fresh.log']);
    expect(outcome).toEqual({
      ok: true,
      summary: 'deleted 1 files, 4096 bytes',
      details: { deletedFiles: 1, deletedBytes: 4096 },
    });
  });

  it('keeps files younger than the maxAgeDays it is given', async () => {
    const { ctx, root } = cleanupCtx('linux');
    await writeAged(join(root, 'ten-days.log'), 10, 10);
    await writeAged(join(root, 'forty-days.log'), 40, 40);

    await cleanup.run(ctx, { maxAgeDays: 30 });

    expect(await readdir(root)).toEqual(['ten-days.log']);
  });

  it('fails when the agent has no cleanup check', async () => {
    const outcome = await cleanup.run(linux().ctx, {});

    expect(outcome).toEqual({
      ok: false,
      summary: 'this agent has no cleanup check',
    });
  });

  it('frees space for Windows Update: cleanup, component cleanup, measure', async () => {
    const { ctx, root, calls } = cleanupCtx('win32', [
      { stdout: '{"ok":false,"exitCode":0,"freeBytes":9663676416}\r\n' },
    ]);
    await writeAged(join(root, 'old.tmp'), 2048, 30);

    const outcome = await freeSpaceForWu.run(ctx, {
      minFreeBytes: 20 * 1024 ** 3,
    });

    expect(await readdir(root)).toEqual([]);
    expect(calls.map((c) => c.script?.split('\n').slice(3, 4))).toEqual([
      [
        '  $out = @(& "$env:SystemRoot\\System32\\Dism.exe" /Online ' +
          '/Cleanup-Image /StartComponentCleanup /NoRestart)',
      ],
    ]);
    expect(calls[0]?.script).toContain(
      '  ok = ($code -eq 0 -and $free -ge 21474836480)',
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.summary).toBe(
      'deleted 1 files, 2048 bytes; system drive has 9663676416 bytes ' +
        'free, needs 21474836480 (DISM exit 0)',
    );
  });
});

describe('rerun-check', () => {
  it('runs nothing itself and names the check to run', async () => {
    const { ctx, calls } = linux();

    const outcome = await rerunCheck.run(ctx, { check: 'antivirus' });

    expect(calls).toEqual([]);
    expect(outcome.ok).toBe(true);
    expect(rerunCheck.recheck({ check: 'antivirus' })).toBe('antivirus');
  });
});
