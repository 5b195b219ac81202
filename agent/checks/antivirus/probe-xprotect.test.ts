import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../core/index.js';
import { silentLogger } from '../../logger.js';
import { type CommandRunner, runCommand } from '../../platform/command.js';
import type { CheckContext } from '../types.js';
import { createXProtectCheck } from './probe-xprotect.js';

const dir = mkdtempSync(join(tmpdir(), 'upkeep-xprotect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NOW = new Date('2026-03-02T10:00:00Z');

function context(run: CommandRunner = runCommand): CheckContext {
  return {
    now: () => NOW,
    policy: DEFAULT_POLICY,
    platform: 'darwin',
    run,
    logger: silentLogger,
    trigger: 'on-demand',
  };
}

/**
 * Written, not captured: the document `system_profiler
 * SPInstallHistoryDataType -json` prints (keys `_name`, `install_date`,
 * `install_version`, `package_source`; dates in UTC with a Z), with
 * Apple's XProtect package names and one unrelated install.
 */
function installHistory(xprotectDate: string) {
  return JSON.stringify({
    SPInstallHistoryDataType: [
      {
        _name: 'Safari',
        install_date: '2026-02-28T08:00:00Z',
        install_version: '19.3',
        package_source: 'package_source_apple',
      },
      {
        _name: 'XProtectPayloads',
        install_date: '2025-10-01T03:12:40Z',
        install_version: '150',
        package_source: 'package_source_apple',
      },
      {
        _name: 'XProtectPlistConfigData',
        install_date: xprotectDate,
        install_version: '5290',
        package_source: 'package_source_apple',
      },
    ],
  });
}

/** system_profiler exists only on macOS: answered as it would answer. */
function profilerPrinting(stdout: string): CommandRunner {
  return async (command, args) => ({
    command,
    args,
    exitCode: 0,
    stdout,
    stderr: '',
    timedOut: false,
  });
}

const noBundles = { bundlePlists: [join(dir, 'none', 'Info.plist')] };

describe('createXProtectCheck', () => {
  it('dates the definitions by the newest XProtect install', async () => {
    const check = createXProtectCheck(noBundles);

    const result = await check.run(
      context(profilerPrinting(installHistory('2026-02-20T04:10:11Z'))),
    );

    expect(result.verdict).toBe('ok');
    expect(result.findings).toEqual([]);
    expect(result.data).toMatchObject({
      source: 'install-history',
      version: '5290',
      installedAt: '2026-02-20T04:10:11.000Z',
      securityProducts: [{ name: 'XProtect', kind: 'antivirus' }],
    });
  });

  it('warns when XProtect has not updated for 90 days', async () => {
    const check = createXProtectCheck(noBundles);

    const result = await check.run(
      context(profilerPrinting(installHistory('2025-12-02T04:10:11Z'))),
    );

    expect(result.verdict).toBe('warning');
    expect(result.findings[0]).toMatchObject({
      code: 'av.definitions-stale',
      detail: { product: 'xprotect', ageDays: 90 },
    });
  });

  it("falls back to the bundle's version and date", async () => {
    const contents = join(dir, 'XProtect.bundle', 'Contents');
    mkdirSync(contents, { recursive: true });
    const plist = join(contents, 'Info.plist');
    // The key layout of an XML Info.plist, with a version XProtect used.
    writeFileSync(
      plist,
      '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n' +
        '<dict>\n\t<key>CFBundleShortVersionString</key>\n' +
        '\t<string>5287</string>\n</dict>\n</plist>\n',
    );
    utimesSync(plist, NOW, new Date('2026-02-25T00:00:00Z'));
    const check = createXProtectCheck({
      systemProfiler: join(dir, 'no-such-system_profiler'),
      bundlePlists: [plist],
    });

    const result = await check.run(context());

    expect(result.data).toMatchObject({
      source: 'bundle',
      version: '5287',
      installedAt: '2026-02-25T00:00:00.000Z',
    });
    expect(result.findings).toMatchObject([
      { code: 'agent.probe-failed', severity: 'info' },
    ]);
    expect(result.verdict).toBe('info');
  });

  it('says unknown when neither source names XProtect', async () => {
    const check = createXProtectCheck(noBundles);

    const result = await check.run(
      context(profilerPrinting('{"SPInstallHistoryDataType":[]}')),
    );

    expect(result.verdict).toBe('unknown');
    expect(result.findings[0]?.code).toBe('av.protection-unconfirmed');
    expect(result.data.securityProducts).toEqual([]);
  });
});
