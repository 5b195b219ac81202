import { type CheckKind, checkRemedy } from '../../core/index.js';
import type { CommandResult } from '../platform/command.js';
import { APT_ENV, KEEP_LOCAL_CONFIG } from './apt-install.js';
import type {
  RemedyContext,
  RemedyImplementation,
  RemedyOutcome,
} from './types.js';

interface PackageParams {
  package: string;
}

/**
 * `apt-install`: installs one Debian package the catalogue names (ClamAV,
 * smartmontools), non-interactive and without recommended packages, then
 * asks dpkg whether it is installed: apt-get's exit status alone proves
 * nothing. The cloud sends it only when the policy allows software
 * installs (`remediation.installSoftware`, docs/remedies.md).
 *
 * Failures carry a stable `code` in the details: `not-root` (apt needs
 * root; nothing ran), `dpkg-locked` (another package manager holds the
 * lock; retryable), `timeout`, `apt-failed`, `not-installed` (apt said
 * yes, dpkg says no). With `simulate` apt-get runs with `-s`, changes
 * nothing and the proof is apt's plan; the tests run it on a real machine.
 */
export interface AptInstallPackageOptions {
  simulate: boolean;
  /** Whether the agent runs as root; real installs need it. */
  isRoot: () => boolean;
}

const defaults: AptInstallPackageOptions = {
  simulate: false,
  isRoot: () => process.getuid?.() === 0,
};

/** needrestart (Ubuntu) would otherwise ask which services to restart. */
const ENV = { ...APT_ENV, NEEDRESTART_MODE: 'a' };

/** The check whose fresh report proves the package, by package. */
const RECHECK: Record<string, CheckKind> = {
  clamav: 'antivirus',
  'clamav-freshclam': 'antivirus',
  smartmontools: 'smart',
};

export function aptInstallPackageArgs(name: string, simulate: boolean) {
  return [
    ...(simulate ? ['-s'] : []),
    '-y',
    '-q',
    '--no-install-recommends',
    ...KEEP_LOCAL_CONFIG,
    'install',
    name,
  ];
}

export function createAptInstallPackage(
  options: Partial<AptInstallPackageOptions> = {},
): RemedyImplementation<PackageParams> {
  const o = { ...defaults, ...options };
  return {
    name: 'apt-install',
    platforms: ['linux'],
    // Installing an installed package changes nothing.
    idempotent: true,
    recheck: (params) => RECHECK[params.package],
    run: (ctx, params) => installPackage(ctx, params, o),
  };
}

export const aptInstallPackage = createAptInstallPackage();

async function installPackage(
  ctx: RemedyContext,
  params: PackageParams,
  o: AptInstallPackageOptions,
): Promise<RemedyOutcome> {
  // The job runner checked the params already; a package name reaches
  // apt-get's argument list only through the allow-list schema.
  const checked = checkRemedy('apt-install', params);
  if (!checked.ok) return failure('invalid-package', checked.reason);
  const name = String(checked.params.package);
  if (!o.simulate && !o.isRoot()) {
    return failure('not-root', `installing ${name} needs root; nothing ran`);
  }

  const install = await ctx.run(
    'apt-get',
    aptInstallPackageArgs(name, o.simulate),
    { timeoutMs: ctx.timeoutMs, env: ENV },
  );
  const failed = installFailure(name, install);
  if (failed) return failed;

  const status = await dpkgStatus(ctx, name);
  const installed = status === 'install ok installed';
  if (o.simulate) {
    const planned = installed || plansInstall(install.stdout, name);
    return {
      ok: planned,
      summary: planned
        ? `apt would install ${name} (simulation)`
        : `apt does not plan to install ${name}`,
      details: { exitCode: 0, simulated: true, installed },
    };
  }
  if (!installed) {
    return failure(
      'not-installed',
      `apt-get finished but dpkg reports ${name} as "${status || 'unknown'}"`,
    );
  }
  return {
    ok: true,
    summary: `${name} is installed`,
    details: { exitCode: 0, installed: true },
  };
}

function installFailure(
  name: string,
  result: CommandResult,
): RemedyOutcome | undefined {
  if (result.timedOut) {
    return failure('timeout', `apt-get install ${name} ran past its time`);
  }
  if (result.exitCode === 0) return undefined;
  const text = `${result.stderr}\n${result.stdout}`;
  if (/Could not get lock|Unable to acquire the dpkg/i.test(text)) {
    return failure(
      'dpkg-locked',
      `another package manager holds the dpkg lock; ${name} was not ` +
        'installed, try again later',
      { retryable: true },
    );
  }
  const why = lastErrorLine(text) ?? result.spawnError ?? 'no output';
  return failure('apt-failed', `apt-get install ${name} failed: ${why}`, {
    exitCode: result.exitCode ?? -1,
  });
}

/** `Inst <name> (...)` in apt-get -s output: the package would be set up. */
function plansInstall(stdout: string, name: string) {
  return stdout.split('\n').some((l) => l.startsWith(`Inst ${name} `));
}

/** dpkg-query's own field syntax, not a template literal. */
export const DPKG_STATUS_FORMAT = `-f=\${Status}`;

async function dpkgStatus(ctx: RemedyContext, name: string) {
  const r = await ctx.run('dpkg-query', ['-W', DPKG_STATUS_FORMAT, name], {
    timeoutMs: 30_000,
    env: ENV,
  });
  return r.exitCode === 0 ? r.stdout.trim() : '';
}

function lastErrorLine(text: string) {
  const lines = text.split('\n').filter((l) => l.startsWith('E: '));
  return lines.at(-1)?.slice(0, 300);
}

function failure(
  code: string,
  summary: string,
  extra: Record<string, string | number | boolean> = {},
): RemedyOutcome {
  return {
    ok: false,
    summary,
    details: { code, retryable: false, ...extra },
  };
}
