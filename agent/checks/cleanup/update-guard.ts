import type { CommandRunner } from '../../platform/command.js';

/**
 * Whether Windows Update is downloading or installing. Its download cache
 * may only be emptied when neither the update service nor the servicing
 * installer runs and no restart is pending: deleting it mid-update makes
 * the update fail or download again.
 *
 * Fields returned (documented in docs/checks.md): Wuauserv and
 * TrustedInstaller (service Status as a string, or null when the service
 * does not exist) and RebootPending (bool).
 */
export const UPDATE_GUARD_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  '$s = @{}',
  "foreach ($n in 'wuauserv','TrustedInstaller') {",
  '  $svc = Get-Service -Name $n -ErrorAction SilentlyContinue',
  '  $s[$n] = if ($svc) { [string]$svc.Status } else { $null }',
  '}',
  "$key = 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\" +
    "WindowsUpdate\\Auto Update\\RebootRequired'",
  '[pscustomobject]@{',
  '  Wuauserv = $s.wuauserv',
  '  TrustedInstaller = $s.TrustedInstaller',
  '  RebootPending = [bool](Test-Path $key)',
  '} | ConvertTo-Json -Compress',
].join('\n');

export interface UpdateGuardState {
  wuauserv: string | null;
  trustedInstaller: string | null;
  rebootPending: boolean;
}

/** Parses the script's JSON; undefined when it is not what we expect. */
export function parseUpdateGuard(stdout: string): UpdateGuardState | undefined {
  try {
    const raw = JSON.parse(stdout) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    if (typeof raw.RebootPending !== 'boolean') return undefined;
    return {
      wuauserv: str(raw.Wuauserv),
      trustedInstaller: str(raw.TrustedInstaller),
      rebootPending: raw.RebootPending,
    };
  } catch {
    return undefined;
  }
}

/** In flight unless proven idle: an unreadable state keeps the cache. */
export function updateInFlight(state: UpdateGuardState | undefined): boolean {
  if (!state) return true;
  return (
    state.wuauserv === 'Running' ||
    state.trustedInstaller === 'Running' ||
    state.rebootPending
  );
}

export async function probeUpdateInFlight(run: CommandRunner) {
  const result = await run(
    'powershell.exe',
    ['-NoProfile', '-NonInteractive', '-Command', UPDATE_GUARD_SCRIPT],
    { timeoutMs: 30_000 },
  );
  return updateInFlight(parseUpdateGuard(result.stdout));
}
