import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type Policy } from '../../core/policy.js';
import { probeApt } from '../checks/patches/apt-probe.js';
import { silentLogger } from '../logger.js';
import { runCommand } from '../platform/command.js';
import { type Answer, fakeRunner } from './fake-runner.js';
import {
  createInstallUpdates,
  createRetryUpdate,
  installDefaults,
} from './install-updates.js';
import { simulateAptInstall } from './testing/simulated-apt.js';
import type { RemedyContext } from './types.js';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

// Wednesday 2026-03-18 10:30 in Paris: working hours.
const START = Date.parse('2026-03-18T09:30:00Z');

function windowsContext(answers: Answer[], policy: Policy = DEFAULT_POLICY) {
  const fake = fakeRunner(answers);
  let nowMs = START;
  const ctx: RemedyContext = {
    platform: 'win32',
    run: fake.run,
    logger: silentLogger,
    now: () => new Date(nowMs),
    policy,
    checks: [],
    timeoutMs: 1440 * 60_000,
  };
  const options = {
    reboot: {
      ...installDefaults.reboot,
      timeZone: 'Europe/Paris',
      deferralFile: '/nonexistent/reboot-deferral.json',
      // The clock moves with every pause; no real time passes.
      sleep: async (ms: number) => {
        nowMs += ms;
      },
    },
  };
  return { ctx, calls: fake.calls, options };
}

const windowOpen = {
  updates: ['KB5053602'],
  windowEndsAt: '2026-03-18T23:00:00Z',
};

describe('install-updates on Windows', () => {
  it('installs through the Windows Update Agent and reports a failure by its HRESULT', async () => {
    const { ctx, calls, options } = windowsContext([
      { stdout: fixture('wua-install-0x800f0922.json') },
    ]);

    const outcome = await createInstallUpdates(options).run(ctx, windowOpen);

    expect(outcome).toEqual({
      ok: false,
      summary: 'KB5053602 failed with 0x800F0922',
      details: {
        installed: 0,
        pendingReboot: 0,
        failed: 1,
        notOffered: 0,
        kb: 'KB5053602',
        hresult: '0x800F0922',
      },
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.script).toContain("$wanted = @('5053602')");
    expect(calls[0]?.script).toContain('$installer.Install()');
  });

  it('calls a success that installed nothing a failure', async () => {
    const { ctx, options } = windowsContext([
      { stdout: fixture('wua-install-claimed-success.json') },
    ]);

    const outcome = await createInstallUpdates(options).run(ctx, windowOpen);

    expect(outcome.ok).toBe(false);
    expect(outcome.summary).toBe('KB5053602 reported installed but is not');
  });

  it('restarts after working hours and waits for the restart', async () => {
    const { ctx, calls, options } = windowsContext([
      { stdout: fixture('wua-install-reboot-required.json') },
    ]);

    const outcome = await createRetryUpdate(options).run(ctx, {
      kb: 'KB5053602',
    });

    // 18:00 in Paris is 17:00 UTC: 7.5 hours after 10:30.
    const restart = calls.find((c) => c.script?.includes('shutdown.exe /r'));
    expect(restart?.script).toContain('shutdown.exe /r /t 27000 /d p:2:17');
    // No restart came within the remedy's day: never a failure.
    expect(outcome).toMatchObject({
      ok: true,
      details: { pendingReboot: 1, rebootPending: true },
    });
  });

  it('verifies the update in the history after the restart', async () => {
    const { ctx, calls, options } = windowsContext([
      { stdout: fixture('wua-install-after-restart.json') },
    ]);

    const outcome = await createRetryUpdate(options).run(ctx, {
      kb: 'KB5053602',
    });

    expect(outcome).toEqual({
      ok: true,
      summary: 'KB5053602 installed and verified',
      details: { installed: 1, pendingReboot: 0, failed: 0, notOffered: 0 },
    });
    expect(calls.some((c) => c.script?.includes('shutdown.exe'))).toBe(false);
  });

  it('waits for an idle user when the window was missed', async () => {
    const { ctx, calls, options } = windowsContext([
      { stdout: '{"IdleSeconds":12}' },
      { stdout: '{"IdleSeconds":900}' },
      { stdout: fixture('wua-install-after-restart.json') },
    ]);

    const outcome = await createInstallUpdates(options).run(ctx, {
      updates: ['KB5053602'],
      windowEndsAt: '2026-03-18T04:00:00Z',
    });

    expect(outcome.ok).toBe(true);
    expect(calls.map((c) => c.script?.includes('GetLastInputInfo'))).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('refuses a retry without the KB it is for', () => {
    expect(createRetryUpdate().refuse?.({}, 'win32')).toMatchObject({
      reason: 'not-allowed',
    });
  });
});

describe('install-updates with apt on this machine', () => {
  it('finds a current installed package not offered, simulated with apt-get -s', async () => {
    const probe = await probeApt(runCommand, new Date());
    const pending = new Set((probe.state?.updates ?? []).map((u) => u.id));
    // dpkg-query -W prints "name[:arch]<TAB>version" per installed package.
    const listed = await runCommand('dpkg-query', ['-W']);
    const current = listed.stdout
      .split('\n')
      .map((line) => line.split('\t')[0]?.split(':')[0] ?? '')
      .find((name) => name !== '' && !pending.has(name));
    expect(current).toBeDefined();

    const outcome = await simulateAptInstall([current as string]);

    expect(outcome).toMatchObject({
      ok: true,
      summary: 'nothing to install: no update asked for is offered',
      details: { installed: 0, failed: 0, notOffered: 1 },
    });
  }, 60_000);

  it('upgrades only the packages asked for, simulated with apt-get -s', async () => {
    const probe = await probeApt(runCommand, new Date());
    // A pending security update when there is one, else any pending one:
    // the remedy upgrades what the job names, whatever its origin.
    const updates = probe.state?.updates ?? [];
    const pending = updates.find((u) => u.security) ?? updates[0];
    if (!pending) {
      // Nothing to upgrade on this machine: apt answered, and cleanly.
      expect(probe.problems).toEqual([]);
      expect(probe.state?.updates).toEqual([]);
      return;
    }
    const outcome = await simulateAptInstall([pending.id]);

    expect(outcome).toMatchObject({
      ok: true,
      summary: `${pending.id} installed and verified`,
      details: { installed: 1, failed: 0 },
    });
  }, 60_000);
});
