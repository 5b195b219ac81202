import { access, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Finding } from '../../../core/index.js';
import type { CommandResult, CommandRunner } from '../../platform/command.js';
import { aptErrorKind, parseAptSimulation } from './apt-parse.js';
import {
  commandDetail,
  commandFailure,
  unparsedFinding,
} from './command-finding.js';
import type { PatchState } from './types.js';

export const aptDefaults = {
  /** Where apt keeps its downloaded package index. */
  listsDir: '/var/lib/apt/lists',
  /** Written by Debian and Ubuntu packages that need a restart. */
  rebootFlag: '/var/run/reboot-required',
  /** The simulation only reads the index. @default 120 s */
  timeoutMs: 120_000,
};

export type AptOptions = Partial<typeof aptDefaults>;

/** What a probe hands the judge: the state, or why there is none. */
export interface PatchProbe {
  state?: PatchState;
  problems: Finding[];
}

const DAY_MS = 86_400_000;

/**
 * Asks apt what `dist-upgrade` would install, without installing: `-s`
 * simulates and takes no lock. `dist-upgrade` rather than `upgrade`, so
 * that updates needing a new package are not hidden as "kept back". The
 * locale is pinned because the parser reads apt's English lines.
 */
export async function probeApt(
  run: CommandRunner,
  now: Date,
  options: AptOptions = {},
): Promise<PatchProbe> {
  const o = { ...aptDefaults, ...options };
  const result = await run('apt-get', ['-s', 'dist-upgrade'], {
    timeoutMs: o.timeoutMs,
    env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
  });

  const problem = commandFailure(result, 'apt') ?? aptProblem(result);
  if (problem) return { problems: [problem] };

  const simulation = parseAptSimulation(result.stdout);
  if (!simulation) {
    return { problems: [unparsedFinding(result, 'apt', 'no Inst or summary')] };
  }

  const listAgeDays = await listAge(o.listsDir, now);
  const rebootPending = await exists(o.rebootFlag);
  return {
    state: {
      source: 'apt',
      updates: simulation.updates,
      rebootPending,
      ...(listAgeDays === undefined ? {} : { listAgeDays }),
    },
    problems: [],
  };
}

function aptProblem(result: CommandResult): Finding | undefined {
  const kind = aptErrorKind(result.stderr);
  if (!kind && result.exitCode === 0) return undefined;

  const detail = commandDetail(result);
  if (kind === 'locked') {
    const title = 'Another apt or dpkg process holds the lock';
    return {
      code: 'patch.apt-locked',
      severity: 'warning',
      subject: 'apt',
      title,
      detail,
    };
  }
  if (kind === 'broken') {
    const title = 'dpkg was interrupted or dependencies are broken';
    return {
      code: 'patch.apt-broken',
      severity: 'critical',
      subject: 'apt',
      title,
      detail,
    };
  }
  return {
    code: 'agent.probe-failed',
    severity: 'warning',
    subject: 'apt',
    title: `apt-get exited with status ${result.exitCode}`,
    detail,
  };
}

/**
 * Days since the newest Release file of the index was fetched, or
 * undefined when there is none: then apt "finds" no update because it
 * knows of no package at all.
 */
export async function listAge(dir: string, now: Date) {
  const names = await readdir(dir).catch(() => [] as string[]);
  const releases = names.filter((n) => /_(In)?Release$/.test(n));
  if (releases.length === 0) return undefined;

  const times = await Promise.all(
    releases.map((n) => stat(join(dir, n)).then((s) => s.mtimeMs)),
  );
  const newest = Math.max(...times);
  return Math.max(0, Math.floor((now.getTime() - newest) / DAY_MS));
}

async function exists(path: string) {
  return access(path).then(
    () => true,
    () => false,
  );
}
