import { ProbeError } from '../../errors.js';
import type { CommandResult, CommandRunner } from '../command.js';

/**
 * Runs a Windows PowerShell script through the injected command runner and
 * returns its stdout, or throws a ProbeError whose code matches the
 * catalogue (agent.probe-failed, agent.probe-timeout).
 *
 * The script goes in as -EncodedCommand (UTF-16LE, base64), so that no
 * quoting rule of the Windows command line can change it, and it starts by
 * switching the console to UTF-8 so that localised labels survive the pipe.
 */
export const POWERSHELL = 'powershell.exe';

export const powershellDefaults = {
  /** Limit for one script, ms; WMI can stall on a bad driver. @default 60 s */
  timeoutMs: 60_000,
};

export function powershellArgs(script: string): string[] {
  const utf8 = '[Console]::OutputEncoding = [Text.Encoding]::UTF8';
  const encoded = Buffer.from(`${utf8}\n${script}`, 'utf16le').toString(
    'base64',
  );
  return ['-NoProfile', '-NonInteractive', '-EncodedCommand', encoded];
}

/** The script a -EncodedCommand argument carries, for logs and tests. */
export function decodePowershellArgs(args: readonly string[]) {
  const at = args.indexOf('-EncodedCommand');
  const encoded = at >= 0 ? args[at + 1] : undefined;
  return encoded ? Buffer.from(encoded, 'base64').toString('utf16le') : '';
}

export async function runPowerShell(
  run: CommandRunner,
  script: string,
  options: Partial<typeof powershellDefaults> = {},
): Promise<string> {
  const { timeoutMs } = { ...powershellDefaults, ...options };
  const result = await run(POWERSHELL, powershellArgs(script), { timeoutMs });
  throwOnFailure(result, timeoutMs);
  return result.stdout;
}

function throwOnFailure(result: CommandResult, timeoutMs: number) {
  const detail = { command: POWERSHELL, exitCode: result.exitCode };
  if (result.spawnError) {
    throw new ProbeError('probe-failed', 'PowerShell could not be started', {
      ...detail,
      error: result.spawnError,
    });
  }
  if (result.timedOut) {
    throw new ProbeError('probe-timeout', 'PowerShell timed out', {
      ...detail,
      timeoutMs,
    });
  }
  if (result.exitCode !== 0) {
    throw new ProbeError('probe-failed', 'PowerShell exited with an error', {
      ...detail,
      stderr: result.stderr.trim().slice(0, 300),
    });
  }
}
