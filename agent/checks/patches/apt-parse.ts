import type { PendingUpdate } from './types.js';

/**
 * One origin of an `Inst` line: `Label:Version/Suite`, for example
 * `Debian-Security:12/oldstable-security` or `Ubuntu:22.04/jammy-updates`.
 */
export interface AptOrigin {
  label: string;
  suite: string;
}

export interface AptSimulation {
  updates: PendingUpdate[];
  /** Packages the upgrade would remove (`Remv` lines). */
  removals: string[];
  /** The "N upgraded, N newly installed..." line, when printed. */
  summary?: { upgraded: number; installed: number; removed: number };
}

// Inst name [installed] (candidate origins [arch]) [trailing notes]
const INST =
  /^Inst (\S+)(?: \[([^\]]*)\])? \((\S+) (.*) \[([^\]]+)\]\)(?: \[.*\])?$/;
const REMV = /^Remv (\S+)/;
const SUMMARY =
  /^(\d+) upgraded, (\d+) newly installed, (\d+) to remove and \d+ not/;

/**
 * A security origin: a suite named `*-security` (Debian 11 and later,
 * Ubuntu), or the `Debian-Security` label, which older Debian releases used
 * with a plain `stable`/`oldstable` suite.
 */
export function isSecurityOrigin(origin: AptOrigin): boolean {
  return origin.suite.endsWith('-security') || /security/i.test(origin.label);
}

export function parseOrigins(text: string): AptOrigin[] {
  return text.split(', ').flatMap((part) => {
    const match = /^(.*):[^/]*\/(.+)$/.exec(part.trim());
    return match ? [{ label: match[1] ?? '', suite: match[2] ?? '' }] : [];
  });
}

/**
 * Parses `apt-get -s dist-upgrade` output (run with LC_ALL=C). Returns
 * undefined when the output has neither Inst lines nor the summary line:
 * then it is not a simulation at all, and zero would be a lie.
 */
export function parseAptSimulation(stdout: string): AptSimulation | undefined {
  const updates: PendingUpdate[] = [];
  const removals: string[] = [];
  let summary: AptSimulation['summary'];

  for (const line of stdout.split('\n')) {
    const inst = INST.exec(line);
    if (inst) {
      updates.push(toUpdate(inst));
      continue;
    }
    const remv = REMV.exec(line);
    if (remv?.[1]) removals.push(remv[1]);
    const sum = SUMMARY.exec(line);
    if (sum) summary = counts(sum);
  }

  if (!summary && updates.length === 0) return undefined;
  return { updates, removals, ...(summary ? { summary } : {}) };
}

function toUpdate(match: RegExpExecArray): PendingUpdate {
  const [, name = '', , version = '', origins = ''] = match;
  return {
    id: name,
    version,
    security: parseOrigins(origins).some(isSecurityOrigin),
  };
}

function counts(match: RegExpExecArray) {
  return {
    upgraded: Number(match[1]),
    installed: Number(match[2]),
    removed: Number(match[3]),
  };
}

/** Error lines of apt that say the result cannot be trusted, and why. */
export function aptErrorKind(
  stderr: string,
): 'locked' | 'broken' | 'error' | undefined {
  if (/Could not get lock|Unable to (acquire|lock)/i.test(stderr)) {
    return 'locked';
  }
  const broken =
    /dpkg was interrupted|Unmet dependencies|--fix-broken|broken packages/i;
  if (broken.test(stderr)) {
    return 'broken';
  }
  if (/^E: /m.test(stderr)) return 'error';
  return undefined;
}
