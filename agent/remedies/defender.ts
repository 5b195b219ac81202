import {
  nativeCall,
  remedyScript,
  runRemedyScript,
} from './powershell-outcome.js';
import type { RemedyImplementation } from './types.js';

type NoParams = Record<string, never>;

const MPCMDRUN = '"$env:ProgramFiles\\Windows Defender\\MpCmdRun.exe"';

/**
 * `MpCmdRun -SignatureUpdate`: the command-line updater that also brings
 * engine updates, a second path when Update-MpSignature (the first step)
 * did not help. Idempotent.
 */
export const updateDefenderPlatform: RemedyImplementation<NoParams> = {
  name: 'update-defender-platform',
  platforms: ['win32'],
  idempotent: true,
  recheck: () => 'antivirus',
  run: (ctx) =>
    runRemedyScript(ctx, defenderPlatformScript(), (f) =>
      f.ok
        ? `Defender updated (platform ${f.platformVersion})`
        : `MpCmdRun -SignatureUpdate failed: ${f.message ?? `exit ${f.exitCode}`}`,
    ),
};

export function defenderPlatformScript(): string {
  return remedyScript(
    [
      nativeCall(`& ${MPCMDRUN} -SignatureUpdate`),
      '$status = Get-MpComputerStatus',
      '[pscustomobject]@{',
      '  ok = ($code -eq 0)',
      '  exitCode = $code',
      '  platformVersion = $status.AMProductVersion',
      '  engineVersion = $status.AMEngineVersion',
      '  tail = $tail',
      '} | ConvertTo-Json -Compress',
    ].join('\n'),
  );
}

/**
 * Turns Defender's real-time protection back on. Tamper Protection or a
 * policy may keep it off; the status read afterwards says which.
 */
export const enableRealtimeProtection: RemedyImplementation<{
  product: 'defender';
}> = {
  name: 'enable-realtime-protection',
  platforms: ['win32'],
  idempotent: true,
  recheck: () => 'antivirus',
  run: (ctx) =>
    runRemedyScript(ctx, realtimeScript(), (f) =>
      f.ok
        ? 'Defender real-time protection is on'
        : `real-time protection still off: ${f.message ?? 'policy or tamper protection'}`,
    ),
};

export function realtimeScript(): string {
  return remedyScript(
    [
      'Set-MpPreference -DisableRealtimeMonitoring $false',
      '$status = Get-MpComputerStatus',
      '[pscustomobject]@{',
      '  ok = [bool]$status.RealTimeProtectionEnabled',
      '  runningMode = [string]$status.AMRunningMode',
      '} | ConvertTo-Json -Compress',
    ].join('\n'),
  );
}
