import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../core/policy.js';
import { silentLogger } from '../logger.js';
import { type Answer, fakeRunner } from './fake-runner.js';
import type { RemedyContext } from './types.js';
import { hideUpdate, stopUpdateRetry } from './update-hiding.js';
import { checkSystemPartitionSpace } from './wu-diagnostics.js';

function context(answers: Answer[]) {
  const fake = fakeRunner(answers);
  const ctx: RemedyContext = {
    platform: 'win32',
    run: fake.run,
    logger: silentLogger,
    now: () => new Date('2026-03-18T09:30:00Z'),
    policy: DEFAULT_POLICY,
    checks: [],
    timeoutMs: 600_000,
  };
  return { ctx, calls: fake.calls };
}

describe('check-system-partition-space', () => {
  it('fails on a nearly full EFI System Partition and says so', async () => {
    // The ESP of disk-win32-volume-recovery-efi, filled to 9 MB free.
    const { ctx, calls } = context([
      {
        stdout:
          '{"ok":false,"espFreeBytes":9437184,"recoveryFreeBytes":385875968,' +
          '"tempFiles":212,"message":"EFI System Partition nearly full"}\r\n',
      },
    ]);

    const outcome = await checkSystemPartitionSpace.run(ctx, {});

    expect(outcome).toEqual({
      ok: false,
      summary:
        'EFI System Partition nearly full (EFI 9 MB free, 212 temp files)',
      details: {
        espFreeBytes: 9437184,
        recoveryFreeBytes: 385875968,
        tempFiles: 212,
        message: 'EFI System Partition nearly full',
      },
    });
    expect(calls[0]?.script).toContain(
      "Get-Free '{c12a7328-f81f-11d2-ba4b-00a0c93ec93b}'",
    );
    expect(calls[0]?.script).toContain('-ge 15728640');
  });
});

describe('hide-update and stop-update-retry', () => {
  it('hides the update the step names', async () => {
    const { ctx, calls } = context([{ stdout: '{"ok":true,"hidden":1}' }]);

    const outcome = await stopUpdateRetry.run(ctx, { kb: 'KB5034441' });

    expect(outcome.summary).toBe(
      'KB5034441 hidden: Windows Update stops retrying it',
    );
    expect(calls[0]?.script).toContain("-notcontains '5034441'");
    expect(calls[0]?.script).toContain('$u.IsHidden = $true');
  });

  it('refuses to run without a KB', () => {
    expect(hideUpdate.refuse?.({}, 'win32')?.reason).toBe('not-allowed');
  });
});
