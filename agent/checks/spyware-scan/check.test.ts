import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  findingSchema,
  type Policy,
  policySection,
} from '../../../core/index.js';
import { silentLogger } from '../../logger.js';
import {
  type CommandResult,
  type CommandRunner,
  runCommand,
} from '../../platform/command.js';
import { decodePowershellArgs } from '../../platform/windows/powershell.js';
import type { CheckContext } from '../types.js';
import { createSpywareScanCheck } from './check.js';

const fixture = (name: string) =>
  readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

const MONDAY = new Date('2025-03-10T12:00:00Z');
const SATURDAY = new Date('2025-03-08T12:00:00Z');

let sysfsRoot: string;
beforeEach(async () => {
  sysfsRoot = await mkdtemp(join(tmpdir(), 'upkeep-spy-'));
});
afterEach(async () => {
  await rm(sysfsRoot, { recursive: true, force: true });
});

/** A laptop's power supplies, written as sysfs files. */
async function laptop(onBattery: boolean) {
  await mkdir(join(sysfsRoot, 'AC'));
  await writeFile(join(sysfsRoot, 'AC/type'), 'Mains\n');
  await writeFile(join(sysfsRoot, 'AC/online'), onBattery ? '0\n' : '1\n');
  await mkdir(join(sysfsRoot, 'BAT0'));
  await writeFile(join(sysfsRoot, 'BAT0/type'), 'Battery\n');
  const status = onBattery ? 'Discharging\n' : 'Charging\n';
  await writeFile(join(sysfsRoot, 'BAT0/status'), status);
}

function context(
  run: CommandRunner,
  now: Date,
  platform: NodeJS.Platform = 'linux',
  spyware: Partial<Policy['spyware']> = {},
): CheckContext {
  return {
    now: () => now,
    policy: {
      ...DEFAULT_POLICY,
      spyware: { ...policySection(DEFAULT_POLICY, 'spyware'), ...spyware },
    },
    platform,
    run,
    logger: silentLogger,
    trigger: 'schedule',
  };
}

/** Hands back recorded output for each command and keeps the calls. */
function recorded(
  reply: (command: string, args: readonly string[]) => Partial<CommandResult>,
) {
  const calls: { command: string; args: readonly string[] }[] = [];
  const run: CommandRunner = async (command, args) => {
    calls.push({ command, args });
    return {
      command,
      args,
      exitCode: 0,
      stdout: '',
      stderr: '',
      timedOut: false,
      ...reply(command, args),
    };
  };
  return { run, calls };
}

describe('spyware scan with ClamAV', () => {
  it('reports a missing clamscan as unknown, not a crash', async () => {
    // A real spawn of a command that is not installed.
    const run: CommandRunner = (_c, args, o) =>
      runCommand('clamscan-not-installed', args, o);
    const check = createSpywareScanCheck({
      sysfsRoot,
      targets: { quick: ['/tmp'] },
    });

    const result = await check.run(context(run, MONDAY));

    expect(result.verdict).toBe('unknown');
    expect(result.findings).toMatchObject([
      {
        code: 'spyware.scanner-missing',
        severity: 'info',
        detail: { command: 'clamscan-not-installed' },
      },
    ]);
    expect(result.data).toMatchObject({
      product: 'clamav',
      scanType: 'quick',
      ran: false,
      onBattery: false,
    });
  });

  it('runs a weekday quick scan and reports its threats', async () => {
    const { run, calls } = recorded(() => ({
      exitCode: 1,
      stdout: fixture('clamscan-found-exit1.stdout.txt'),
    }));
    const check = createSpywareScanCheck({
      sysfsRoot,
      targets: { quick: ['/srv/incoming'] },
    });

    const result = await check.run(context(run, MONDAY));

    expect(calls[0]).toEqual({
      command: 'clamscan',
      args: ['--recursive', '--infected', '/srv/incoming'],
    });
    expect(result.verdict).toBe('critical');
    expect(result.findings[0]).toMatchObject({
      code: 'spyware.threats-found',
      subject: 'scan/sample.bin',
      detail: { count: 2 },
    });
    expect(result.data).toMatchObject({
      scanType: 'quick',
      completed: true,
      scannedFiles: 3,
      threatCount: 2,
    });
  });

  it('reports a scan without a signature database as failed', async () => {
    const { run } = recorded(() => ({
      exitCode: 2,
      stdout: fixture('clamscan-no-database-exit2.stdout.txt'),
      stderr: fixture('clamscan-no-database-exit2.stderr.txt'),
    }));
    const check = createSpywareScanCheck({
      sysfsRoot,
      targets: { quick: ['/x'] },
    });

    const result = await check.run(context(run, MONDAY));

    expect(result.verdict).toBe('warning');
    expect(result.findings).toMatchObject([
      { code: 'spyware.scan-failed', detail: { exitCode: 2 } },
    ]);
  });

  it('defers the weekend full scan while on battery', async () => {
    await laptop(true);
    const { run, calls } = recorded(() => ({}));
    const check = createSpywareScanCheck({ sysfsRoot });

    const result = await check.run(context(run, SATURDAY));

    expect(calls).toEqual([]);
    expect(result.verdict).toBe('info');
    expect(result.findings[0]?.code).toBe('spyware.scan-deferred');
    expect(result.data).toMatchObject({
      scanType: 'full',
      onBattery: true,
      ran: false,
    });
  });

  it('runs the weekend full scan on mains power', async () => {
    await laptop(false);
    const { run, calls } = recorded(() => ({
      stdout: fixture('clamscan-clean-exit0.stdout.txt'),
    }));
    const check = createSpywareScanCheck({
      sysfsRoot,
      targets: { full: ['/'] },
    });

    const result = await check.run(context(run, SATURDAY));

    expect(calls[0]?.args).toContain('--exclude-dir=^/sys/');
    expect(result.verdict).toBe('ok');
    expect(result.data).toMatchObject({
      scanType: 'full',
      hasBattery: true,
      onBattery: false,
      completed: true,
      threatCount: 0,
    });
  });

  it('ends a scan at the policy time limit', async () => {
    const run: CommandRunner = (_c, _a, o) => runCommand('sleep', ['5'], o);
    const check = createSpywareScanCheck({
      sysfsRoot,
      targets: { quick: ['/x'] },
    });

    const result = await check.run(
      context(run, MONDAY, 'linux', { quickTimeoutMinutes: 0.005 }),
    );

    expect(result.verdict).toBe('unknown');
    expect(result.findings[0]).toMatchObject({
      code: 'agent.probe-timeout',
      detail: { command: 'sleep 5' },
    });
  });
});

describe('spyware scan on Windows', () => {
  /** powershell.exe as recorded: battery first, then the scan. */
  const windows = (scanJson: string, battery = '[2]') =>
    recorded((_c, args) => {
      const script = decodePowershellArgs(args);
      return { stdout: script.includes('Win32_Battery') ? battery : scanJson };
    });

  it('runs a Defender quick scan and reports open threats', async () => {
    const { run, calls } = windows(fixture('defender-quick-two-threats.json'));
    const check = createSpywareScanCheck();

    const result = await check.run(context(run, MONDAY, 'win32'));

    expect(decodePowershellArgs(calls[1]?.args ?? [])).toContain(
      'Start-MpScan -ScanType QuickScan',
    );
    expect(result.findings[0]).toMatchObject({
      code: 'spyware.threats-found',
      severity: 'critical',
    });
    expect(result.data).toMatchObject({ product: 'defender', threatCount: 2 });
    expect(() => findingSchema.array().parse(result.findings)).not.toThrow();
  });

  it('judges a clean full scan ok', async () => {
    const { run, calls } = windows(fixture('defender-full-clean.json'));

    const result = await createSpywareScanCheck().run(
      context(run, SATURDAY, 'win32'),
    );

    expect(decodePowershellArgs(calls[1]?.args ?? [])).toContain(
      '-ScanType FullScan',
    );
    expect(result.verdict).toBe('ok');
  });

  it('defers a full scan on battery as Win32_Battery reports it', async () => {
    const { run, calls } = windows('', '[1]');

    const result = await createSpywareScanCheck().run(
      context(run, SATURDAY, 'win32'),
    );

    expect(calls).toHaveLength(1);
    expect(result.findings[0]?.code).toBe('spyware.scan-deferred');
  });

  it('names a vendor product it cannot drive and its command', async () => {
    const { run } = windows('');

    const result = await createSpywareScanCheck().run(
      context(run, MONDAY, 'win32', { product: 'Webroot' }),
    );

    expect(result.verdict).toBe('unknown');
    expect(result.findings[0]).toMatchObject({
      code: 'spyware.product-unsupported',
      detail: { command: 'C:\\Program Files\\Webroot\\WRSA.exe' },
    });
  });
});
