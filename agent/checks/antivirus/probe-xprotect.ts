import { readFile, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { type Finding, verdictOf } from '../../../core/index.js';
import { isoTime } from '../../../core/iso-time.js';
import { findingFor, judgementOf } from '../../../core/judgement.js';
import type { Check, CheckContext, CheckResult } from '../types.js';
import { judgeAntivirus } from './judge.js';
import type { XProtectInstall } from './types.js';
import { plistVersion, xprotectInstallsInJson } from './xprotect.js';

const CORE_SERVICES = '/Library/Apple/System/Library/CoreServices';

export const xprotectProbeDefaults = {
  /** @default '/usr/sbin/system_profiler' */
  systemProfiler: '/usr/sbin/system_profiler',
  /** system_profiler reads every receipt; slow disks take a while. ms */
  timeoutMs: 60_000,
  /**
   * Property lists of the XProtect bundle (macOS 11-14) and app (macOS
   * 15), read when the install history names no XProtect update.
   */
  bundlePlists: [
    `${CORE_SERVICES}/XProtect.bundle/Contents/Info.plist`,
    `${CORE_SERVICES}/XProtect.app/Contents/Info.plist`,
  ] as readonly string[],
};

export type XProtectCheckOptions = Partial<typeof xprotectProbeDefaults>;

/**
 * The macOS antivirus check: the date of the newest XProtect definitions.
 *
 *   install history (system_profiler -json) ─▶ else the bundle's Info.plist
 *     (version, and its modification time as the install date) ─▶ judge
 *
 * XProtect is part of macOS, so finding neither is a probe gap (unknown),
 * never "no antivirus".
 */
export function createXProtectCheck(options: XProtectCheckOptions = {}): Check {
  const config = { ...xprotectProbeDefaults, ...options };
  return {
    kind: 'antivirus',
    async run(ctx) {
      const history = await installHistory(ctx, config);
      const fromHistory = history.installs.length > 0;
      const installs = fromHistory
        ? history.installs
        : await bundleInstalls(config.bundlePlists);
      const source = fromHistory ? 'install-history' : 'bundle';
      return judgeInstalls(ctx, { installs, source }, history.problem);
    },
  };
}

type Config = typeof xprotectProbeDefaults;

async function installHistory(ctx: CheckContext, config: Config) {
  const args = ['SPInstallHistoryDataType', '-json'];
  const result = await ctx.run(config.systemProfiler, args, {
    timeoutMs: config.timeoutMs,
  });
  const command = `system_profiler ${args.join(' ')}`;
  if (result.spawnError || result.timedOut || result.exitCode !== 0) {
    const code = result.timedOut ? 'agent.probe-timeout' : 'agent.probe-failed';
    const detail = {
      command,
      exitCode: result.exitCode,
      ...(result.spawnError ? { error: result.spawnError } : {}),
    };
    return { installs: [], problem: findingFor(code, command, { detail }) };
  }

  const installs = xprotectInstallsInJson(result.stdout);
  if (installs) return { installs };
  const detail = { command, reason: 'not the install history JSON' };
  const problem = findingFor('agent.output-unparsed', command, { detail });
  return { installs: [], problem };
}

async function bundleInstalls(
  plists: readonly string[],
): Promise<XProtectInstall[]> {
  const found: XProtectInstall[] = [];
  for (const plist of plists) {
    const [text, info] = await Promise.all([
      readFile(plist, 'utf8').catch(() => undefined),
      stat(plist).catch(() => undefined),
    ]);
    if (text === undefined || !info) continue;
    const version = plistVersion(text);
    found.push({
      name: basename(dirname(dirname(plist))),
      ...(version ? { version } : {}),
      installedAt: info.mtime,
    });
  }
  return found;
}

function judgeInstalls(
  ctx: CheckContext,
  found: { installs: XProtectInstall[]; source: string },
  problem: Finding | undefined,
): CheckResult {
  const newest = [...found.installs].sort(
    (a, b) => b.installedAt.getTime() - a.installedAt.getTime(),
  )[0];
  const data = {
    product: 'xprotect',
    source: newest ? found.source : null,
    version: newest?.version ?? null,
    installedAt: newest ? isoTime(newest.installedAt) : null,
    securityProducts: newest ? [{ name: 'XProtect', kind: 'antivirus' }] : [],
  };
  const gap = problem ? [{ ...problem, severity: 'info' as const }] : [];
  if (!newest) {
    const unconfirmed = findingFor('av.protection-unconfirmed', 'XProtect', {
      detail: { reason: 'no XProtect in the install history or bundle' },
    });
    return { ...judgementOf([unconfirmed, ...gap], 'unknown'), data };
  }

  const judged = judgeAntivirus(
    { xprotect: found.installs },
    {
      now: ctx.now(),
    },
  );
  const findings = [...judged.findings, ...gap];
  return { verdict: verdictOf(findings, judged.verdict), findings, data };
}
