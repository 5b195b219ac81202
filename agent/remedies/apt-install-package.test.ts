import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../core/index.js';
import { silentLogger } from '../logger.js';
import { type CommandRunner, runCommand } from '../platform/command.js';
import {
  createAptInstallPackage,
  DPKG_STATUS_FORMAT,
} from './apt-install-package.js';
import { type Answer, fakeRunner } from './fake-runner.js';
import { createRemedyRegistry } from './registry.js';
import type { RemedyContext } from './types.js';

/**
 * apt-install with the real apt-get of this machine in simulation (`-s`:
 * nothing is installed), and, where apt cannot be made to fail here (a
 * held dpkg lock, a real install as root), apt's recorded words.
 */
function context(run: CommandRunner): RemedyContext {
  return {
    platform: 'linux',
    run,
    logger: silentLogger,
    now: () => new Date(),
    policy: DEFAULT_POLICY,
    checks: [],
    timeoutMs: 120_000,
  };
}

const argv = (calls: { command: string; args: readonly string[] }[]) =>
  calls.map((c) => [c.command, ...c.args].join(' '));

const real = (answers: Answer[]) => {
  const fake = fakeRunner(answers);
  const remedy = createAptInstallPackage({ isRoot: () => true });
  return { remedy, fake, ctx: context(fake.run) };
};

describe('apt-install on this machine', () => {
  it('is implemented by the Linux agent only', () => {
    const registry = createRemedyRegistry();

    expect(registry.get('apt-install', 'linux')?.name).toBe('apt-install');
    expect(registry.get('apt-install', 'win32')).toBeUndefined();
  });

  it('plans the install with apt-get -s and reads dpkg afterwards', async () => {
    const calls: string[] = [];
    const run: CommandRunner = (command, args, options) => {
      calls.push([command, ...args].join(' '));
      return runCommand(command, args, options);
    };
    const remedy = createAptInstallPackage({ simulate: true });
    const installed = await runCommand('dpkg-query', [
      '-W',
      DPKG_STATUS_FORMAT,
      'clamav',
    ]);

    const outcome = await remedy.run(context(run), { package: 'clamav' });

    expect(calls).toEqual([
      'apt-get -s -y -q --no-install-recommends -o ' +
        'Dpkg::Options::=--force-confdef -o ' +
        'Dpkg::Options::=--force-confold install clamav',
      `dpkg-query -W ${DPKG_STATUS_FORMAT} clamav`,
    ]);
    expect(outcome).toEqual({
      ok: true,
      summary: 'apt would install clamav (simulation)',
      details: {
        exitCode: 0,
        simulated: true,
        installed: installed.stdout.trim() === 'install ok installed',
      },
    });
    expect(remedy.recheck({ package: 'clamav' })).toBe('antivirus');
  }, 60_000);

  it('says apt knows no such package, in apt words', async () => {
    const remedy = createAptInstallPackage({ simulate: true });

    const outcome = await remedy.run(context(runCommand), {
      package: 'upkeep-no-such-package',
    });

    expect(outcome.ok).toBe(false);
    expect(outcome.summary).toBe(
      'apt-get install upkeep-no-such-package failed: ' +
        'E: Unable to locate package upkeep-no-such-package',
    );
    expect(outcome.details).toEqual({
      code: 'apt-failed',
      retryable: false,
      exitCode: 100,
    });
  }, 60_000);

  it('refuses a name outside the allow-list schema before anything runs', async () => {
    const { remedy, fake, ctx } = real([]);

    const outcome = await remedy.run(ctx, { package: '-oAPT::Foo=1' });

    expect(fake.calls).toEqual([]);
    expect(outcome.details).toMatchObject({ code: 'invalid-package' });
  });

  it('fails with not-root and runs nothing without root', async () => {
    const fake = fakeRunner([]);
    const remedy = createAptInstallPackage({ isRoot: () => false });

    const outcome = await remedy.run(context(fake.run), { package: 'clamav' });

    expect(fake.calls).toEqual([]);
    expect(outcome).toEqual({
      ok: false,
      summary: 'installing clamav needs root; nothing ran',
      details: { code: 'not-root', retryable: false },
    });
  });

  it('reports a held dpkg lock as a retryable failure', async () => {
    const { remedy, fake, ctx } = real([
      {
        exitCode: 100,
        stderr:
          'E: Could not get lock /var/lib/dpkg/lock-frontend. It is held ' +
          'by process 4242 (unattended-upgr)\n' +
          'E: Unable to acquire the dpkg frontend lock ' +
          '(/var/lib/dpkg/lock-frontend), is another process using it?\n',
      },
    ]);

    const outcome = await remedy.run(ctx, { package: 'clamav' });

    expect(argv(fake.calls)).toHaveLength(1);
    expect(outcome).toEqual({
      ok: false,
      summary:
        'another package manager holds the dpkg lock; clamav was not ' +
        'installed, try again later',
      details: { code: 'dpkg-locked', retryable: true },
    });
  });

  it('passes only when dpkg says the package is installed', async () => {
    const done = real([
      { stdout: 'Setting up clamav (1.0.7+dfsg-1~deb12u1) ...\n' },
      { stdout: 'install ok installed' },
    ]);
    const missing = real([
      { stdout: 'Setting up clamav (1.0.7+dfsg-1~deb12u1) ...\n' },
      { exitCode: 1, stderr: 'dpkg-query: no packages found matching clamav' },
    ]);

    const ok = await done.remedy.run(done.ctx, { package: 'clamav' });
    const notOk = await missing.remedy.run(missing.ctx, { package: 'clamav' });

    expect(argv(done.fake.calls)[0]).toMatch(
      /^apt-get -y -q --no-install-recommends .* install clamav$/,
    );
    expect(ok).toEqual({
      ok: true,
      summary: 'clamav is installed',
      details: { exitCode: 0, installed: true },
    });
    expect(notOk).toEqual({
      ok: false,
      summary: 'apt-get finished but dpkg reports clamav as "unknown"',
      details: { code: 'not-installed', retryable: false },
    });
  });

  it('passes the non-interactive environment and the remedy timeout', async () => {
    const seen: { env?: NodeJS.ProcessEnv; timeoutMs?: number }[] = [];
    const run: CommandRunner = async (command, args, options) => {
      seen.push({ env: options?.env, timeoutMs: options?.timeoutMs });
      return {
        command,
        args,
        exitCode: 0,
        stdout: 'install ok installed',
        stderr: '',
        timedOut: false,
      };
    };
    const remedy = createAptInstallPackage({ isRoot: () => true });

    await remedy.run(context(run), { package: 'smartmontools' });

    expect(seen[0]?.env?.DEBIAN_FRONTEND).toBe('noninteractive');
    expect(seen[0]?.timeoutMs).toBe(120_000);
  });
});
