import { access } from 'node:fs/promises';
import { parseAptSimulation } from '../checks/patches/apt-parse.js';
import type { CommandResult } from '../platform/command.js';
import type { RemedyContext } from './types.js';
import type { KbOutcome } from './wua-install.js';

/**
 * apt: upgrade the approved packages and nothing else, non-interactive,
 * keeping local configuration files, then ask apt again what it would
 * upgrade: a package still listed is not installed, whatever apt-get's
 * exit status said. With `simulate` the same commands run with `-s`
 * (apt-get prints what it would do and changes nothing), which is how the
 * tests run it on a real machine.
 */
export interface AptInstallOptions {
  simulate: boolean;
  /** Written by Debian and Ubuntu packages that need a restart. */
  rebootFlag: string;
}

export const aptInstallDefaults: AptInstallOptions = {
  simulate: false,
  rebootFlag: '/var/run/reboot-required',
};

/** apt-get without questions, in English, for every apt remedy. */
export const APT_ENV = {
  ...process.env,
  DEBIAN_FRONTEND: 'noninteractive',
  LC_ALL: 'C',
  LANG: 'C',
};

/** Keep the local configuration files where a package ships new ones. */
export const KEEP_LOCAL_CONFIG = [
  '-o',
  'Dpkg::Options::=--force-confdef',
  '-o',
  'Dpkg::Options::=--force-confold',
];

export function aptUpgradeArgs(packages: readonly string[], simulate: boolean) {
  return [
    ...(simulate ? ['-s'] : []),
    '-y',
    '-q',
    ...KEEP_LOCAL_CONFIG,
    'install',
    '--only-upgrade',
    ...packages,
  ];
}

export interface AptInstallResult {
  outcomes: KbOutcome[];
  /** Packages apt-get would upgrade (simulation) or upgraded. */
  upgraded: string[];
  rebootRequired: boolean;
  exitCode: number | null;
  tail: string;
}

export async function aptInstall(
  ctx: RemedyContext,
  packages: readonly string[],
  options: AptInstallOptions,
): Promise<AptInstallResult> {
  const run = (args: string[]) =>
    ctx.run('apt-get', args, { timeoutMs: ctx.timeoutMs, env: APT_ENV });
  const install = await run(aptUpgradeArgs(packages, options.simulate));
  const upgraded = installed(install);

  // The proof: what apt would still upgrade among the packages asked.
  const after = options.simulate
    ? install
    : await run(aptUpgradeArgs(packages, true));
  const pending = new Set(installed(after));
  const outcomes = packages.map((name): KbOutcome => {
    if (options.simulate) {
      return {
        kb: name,
        state: upgraded.includes(name) ? 'installed' : 'not-offered',
      };
    }
    if (!pending.has(name)) {
      return {
        kb: name,
        state: upgraded.includes(name) ? 'installed' : 'not-offered',
      };
    }
    return {
      kb: name,
      state: install.exitCode === 0 ? 'claimed-not-installed' : 'failed',
    };
  });
  return {
    outcomes,
    upgraded,
    rebootRequired: options.simulate ? false : await exists(options.rebootFlag),
    exitCode: install.exitCode,
    tail: lastLines(install),
  };
}

function installed(result: CommandResult): string[] {
  const simulation = parseAptSimulation(result.stdout);
  if (simulation) return simulation.updates.map((u) => u.id);
  // A real run prints "Unpacking <pkg> (<version>) over (...)".
  return [...result.stdout.matchAll(/^Unpacking (\S+?)(?::\S+)? \(/gm)].map(
    (m) => m[1] as string,
  );
}

function lastLines(result: CommandResult) {
  const text = `${result.stdout}\n${result.stderr}`.trim().split('\n');
  return text.slice(-3).join(' ').slice(0, 300);
}

async function exists(path: string) {
  return access(path).then(
    () => true,
    () => false,
  );
}
