import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, findingSchema } from '../../../core/index.js';
import { silentLogger } from '../../logger.js';
import type { CommandResult, CommandRunner } from '../../platform/command.js';
import { decodePowershellArgs } from '../../platform/windows/powershell.js';
import { readCase } from '../../test-support/cases.js';
import type { CheckContext } from '../types.js';
import { createWindowsSmartCheck } from './windows-fallback.js';
import { parseReliability } from './windows-reliability.js';

const dir = mkdtempSync(join(tmpdir(), 'upkeep-smart-win-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let stateCount = 0;
const freshState = () => join(dir, `state-${++stateCount}`);

/**
 * Written, not captured: one disk as RELIABILITY_SCRIPT prints it (field
 * names from MSFT_PhysicalDisk and MSFT_StorageReliabilityCounter, enums as
 * their names), here an NVMe drive behind Intel VMD that smartctl cannot
 * open. `changes` varies it per test.
 */
function vmdDisk(changes: Record<string, unknown> = {}) {
  return {
    DeviceId: '0',
    FriendlyName: 'INTEL SSDPEKNW512G8',
    SerialNumber: 'BTNH0000000000000',
    BusType: 'NVMe',
    MediaType: 'SSD',
    HealthStatus: 'Healthy',
    OperationalStatus: 'OK',
    Size: 512110190592,
    Wear: 4,
    Temperature: 38,
    TemperatureMax: 70,
    ReadErrorsUncorrected: 0,
    WriteErrorsUncorrected: null,
    PowerOnHours: 5230,
    ...changes,
  };
}

/** smartctl --scan-open on an RST/VMD machine: the drives are hidden. */
const NO_DRIVES = JSON.stringify({
  json_format_version: [1, 0],
  smartctl: { exit_status: 0 },
});

interface Answers {
  smartctl?: string;
  smartctlMissing?: boolean;
  powershell?: string;
  powershellExit?: number;
}

/** The OS boundary: smartctl and PowerShell on a Windows machine. */
function windowsRunner(answers: Answers, calls: string[] = []): CommandRunner {
  return async (command, args) => {
    const isPowershell = command === 'powershell.exe';
    calls.push(
      isPowershell ? decodePowershellArgs(args).slice(0, 60) : command,
    );
    const result: CommandResult = {
      command,
      args,
      exitCode: isPowershell ? (answers.powershellExit ?? 0) : 0,
      stdout: isPowershell
        ? (answers.powershell ?? '')
        : (answers.smartctl ?? ''),
      stderr: '',
      timedOut: false,
    };
    if (!isPowershell && answers.smartctlMissing) {
      return { ...result, exitCode: null, spawnError: 'spawn smartctl ENOENT' };
    }
    return result;
  };
}

function context(run: CommandRunner): CheckContext {
  return {
    now: () => new Date('2026-03-02T10:00:00Z'),
    policy: DEFAULT_POLICY,
    platform: 'win32',
    run,
    logger: silentLogger,
    trigger: 'on-demand',
  };
}

const codes = (findings: { code: string }[]) => findings.map((f) => f.code);

describe('createWindowsSmartCheck', () => {
  it('judges a drive behind Intel VMD from the reliability counters', async () => {
    const run = windowsRunner({
      smartctl: NO_DRIVES,
      powershell: JSON.stringify([vmdDisk()]),
    });
    const check = createWindowsSmartCheck({ stateDir: freshState() });

    const result = await check.run(context(run));

    // smartctl's own gap stays visible (info); the drive itself is healthy.
    expect(result.verdict).toBe('info');
    expect(codes(result.findings)).toEqual(['smart.no-health-data']);
    expect(result.data).toMatchObject({
      reliability: [
        {
          disk: 'INTEL SSDPEKNW512G8 (BTNH0000000000000)',
          busType: 'NVMe',
          health: 'healthy',
          wear: 4,
          powerOnHours: 5230,
          verdict: 'ok',
        },
      ],
    });
  });

  it('judges uncorrected errors by their growth since the last run', async () => {
    const stateDir = freshState();
    const runWith = (errors: number) =>
      createWindowsSmartCheck({ stateDir }).run(
        context(
          windowsRunner({
            smartctlMissing: true,
            powershell: JSON.stringify([
              vmdDisk({ ReadErrorsUncorrected: errors }),
            ]),
          }),
        ),
      );

    const first = await runWith(2);
    const grown = await runWith(5);

    const errorsOf = (r: { findings: { code: string }[] }) =>
      r.findings.find((f) => f.code === 'smart.storage-uncorrected-errors');
    expect(errorsOf(first)).toMatchObject({ severity: 'warning' });
    expect(errorsOf(grown)).toMatchObject({
      severity: 'critical',
      detail: { count: 5, baseline: 2, delta: 3 },
    });
    expect(grown.verdict).toBe('critical');
    expect(codes(grown.findings)).toContain('smart.smartctl-missing');
  });

  it('calls a disk Windows reports Unhealthy critical', async () => {
    const run = windowsRunner({
      smartctlMissing: true,
      powershell: JSON.stringify([
        vmdDisk({
          HealthStatus: 2,
          OperationalStatus: 'Predictive Failure',
          Wear: 100,
        }),
      ]),
    });

    const result = await createWindowsSmartCheck({
      stateDir: freshState(),
    }).run(context(run));

    expect(result.verdict).toBe('critical');
    expect(codes(result.findings).slice(0, 2)).toEqual([
      'smart.storage-health-unhealthy',
      'smart.ssd-worn-out',
    ]);
    for (const f of result.findings) findingSchema.parse(f);
  });

  it('never calls a RAID volume healthy', async () => {
    const raid = vmdDisk({
      FriendlyName: 'Intel Raid 1 Volume',
      SerialNumber: null,
      BusType: 8,
      Wear: null,
      Temperature: null,
      TemperatureMax: null,
      ReadErrorsUncorrected: null,
      PowerOnHours: null,
    });
    const run = windowsRunner({
      smartctlMissing: true,
      powershell: JSON.stringify(raid),
    });

    const result = await createWindowsSmartCheck({
      stateDir: freshState(),
    }).run(context(run));

    expect(result.verdict).toBe('unknown');
    expect(result.findings).toContainEqual(
      expect.objectContaining({
        code: 'smart.no-health-data',
        subject: 'Intel Raid 1 Volume',
        detail: expect.objectContaining({
          reason: expect.stringContaining('RAID'),
        }),
      }),
    );
  });

  it('leaves PowerShell alone when smartctl judged every drive', async () => {
    const calls: string[] = [];
    const scan = JSON.stringify({
      json_format_version: [1, 0],
      smartctl: { exit_status: 0 },
      devices: [{ name: '/dev/sda', type: 'nvme' }],
    });
    const media = readCase('smart-nvme-media-errors.json');
    const run: CommandRunner = async (command, args) => {
      calls.push(command);
      const stdout = args.includes('--scan-open') ? scan : media;
      return {
        command,
        args,
        exitCode: 0,
        stdout,
        stderr: '',
        timedOut: false,
      };
    };

    const result = await createWindowsSmartCheck({
      stateDir: freshState(),
    }).run(context(run));

    expect(calls).toEqual(['smartctl', 'smartctl']);
    expect(result.verdict).toBe('warning');
    expect(result.data.reliability).toBeUndefined();
  });

  it('stays unknown when the counters cannot be read either', async () => {
    const run = windowsRunner({
      smartctlMissing: true,
      powershell: '',
      powershellExit: 1,
    });

    const result = await createWindowsSmartCheck({
      stateDir: freshState(),
    }).run(context(run));

    expect(result.verdict).toBe('unknown');
    expect(codes(result.findings)).toEqual([
      'smart.smartctl-missing',
      'agent.probe-failed',
    ]);
  });
});

describe('parseReliability', () => {
  it('reads the counters of a pasted Get-StorageReliabilityCounter', () => {
    // One disk piped straight to ConvertTo-Json: an object, counters only.
    const pasted = JSON.stringify({
      DeviceId: '1',
      Wear: 0,
      Temperature: 31,
      ReadErrorsUncorrected: 0,
      PowerOnHours: 18211,
    });

    expect(parseReliability(pasted)).toEqual({
      ok: true,
      disks: [
        {
          deviceId: '1',
          health: 'unknown',
          wear: 0,
          temperature: 31,
          readErrorsUncorrected: 0,
          powerOnHours: 18211,
        },
      ],
    });
  });

  it('reports the error the script printed', () => {
    const read = parseReliability(
      '{"Error":"Access denied","ErrorId":"MI RESULT 2"}',
    );

    expect(read).toEqual({ ok: false, reason: 'Access denied' });
  });
});
