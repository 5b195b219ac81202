import { describe, expect, it } from 'vitest';
import { ProbeError } from '../../errors.js';
import type { CommandResult, CommandRunner } from '../../platform/command.js';
import { decodePowershellArgs } from '../../platform/windows/powershell.js';
import { readCase, withoutNotes } from '../../test-support/cases.js';
import { probeWindowsVolumes } from './windows-probe.js';

/**
 * PowerShell cannot run here: the runner plays it back from a recorded
 * listing and keeps what it was asked to run.
 */
function recordedRunner(result: Partial<CommandResult>) {
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
      ...result,
    };
  };
  return { run, calls };
}

const recorded = withoutNotes(
  readCase('disk-win32-volume-recovery-efi.cim-json.txt'),
);

describe('probeWindowsVolumes', () => {
  it('asks Windows PowerShell for Win32_Volume as JSON', async () => {
    const { run, calls } = recordedRunner({ stdout: recorded });

    await probeWindowsVolumes(run);

    expect(calls).toHaveLength(1);
    expect(calls[0]?.command).toBe('powershell.exe');
    expect(calls[0]?.args.slice(0, 3)).toEqual([
      '-NoProfile',
      '-NonInteractive',
      '-EncodedCommand',
    ]);
    const script = decodePowershellArgs(calls[0]?.args ?? []);
    expect(script).toMatch(/Get-CimInstance -ClassName Win32_Volume/);
    expect(script).toMatch(/ConvertTo-Json -InputObject \$volumes -Compress/);
  });

  it('turns the recorded listing into the three fixed volumes', async () => {
    const { run } = recordedRunner({ stdout: `${recorded}\r\n` });

    const { volumes } = await probeWindowsVolumes(run);

    expect(volumes.map((v) => v.role)).toEqual(['system', 'recovery', 'efi']);
  });

  it('reports a missing PowerShell as probe-failed', async () => {
    const { run } = recordedRunner({
      exitCode: null,
      spawnError: 'spawn powershell.exe ENOENT',
    });

    const error = await probeWindowsVolumes(run).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProbeError);
    expect(error).toMatchObject({
      code: 'probe-failed',
      detail: { error: 'spawn powershell.exe ENOENT' },
    });
  });

  it('reports a hung WMI query as probe-timeout', async () => {
    const { run } = recordedRunner({ exitCode: null, timedOut: true });

    await expect(probeWindowsVolumes(run)).rejects.toMatchObject({
      code: 'probe-timeout',
      detail: { timeoutMs: 60_000 },
    });
  });

  it('reports a failing script with its stderr', async () => {
    const { run } = recordedRunner({
      exitCode: 1,
      stderr: 'Get-CimInstance : Invalid class "Win32_Volume"\r\n',
    });

    await expect(probeWindowsVolumes(run)).rejects.toMatchObject({
      code: 'probe-failed',
      detail: {
        exitCode: 1,
        stderr: 'Get-CimInstance : Invalid class "Win32_Volume"',
      },
    });
  });

  it('reports output that is not JSON as output-unparsed', async () => {
    const { run } = recordedRunner({ stdout: '' });

    await expect(probeWindowsVolumes(run)).rejects.toMatchObject({
      code: 'output-unparsed',
    });
  });
});
