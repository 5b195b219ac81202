import { MB } from '../../core/policy.js';
import { remedyScript, runRemedyScript } from './powershell-outcome.js';
import type { RemedyImplementation } from './types.js';

type NoParams = Record<string, never>;

/**
 * Diagnostic steps of the Windows Update chains: each measures one known
 * cause and fails when it finds it, so the chain records the cause and
 * moves on (or ends at the ticket with the measurement attached).
 */

/** GPT partition types (learn.microsoft.com, PARTITION_INFORMATION_GPT). */
const ESP_GUID = '{c12a7328-f81f-11d2-ba4b-00a0c93ec93b}';
const RECOVERY_GUID = '{de94bba4-06d1-4d40-a16a-bfd50179d6ac}';

export const partitionLimits = {
  /**
   * Boot-file servicing fails with 0x800F0922 on an EFI System Partition
   * with about 10 MB or less free (Microsoft's KB5089549 note). @default 15 MB
   */
  espMinFreeBytes: 15 * MB,
  /** More files in C:\Windows\Temp break advanced installers. */
  maxTempFiles: 65_000,
};

/**
 * 0x800F0922: the EFI System Partition's free space and the number of
 * files in C:\Windows\Temp, the two documented causes a device can measure
 * (docs: error-0x800f0922-installing-windows-updates).
 */
export function systemPartitionScript(): string {
  return remedyScript(
    [
      'function Get-Free($type) {',
      '  $p = Get-Partition | Where-Object { $_.GptType -eq $type } |',
      '    Select-Object -First 1',
      '  if (-not $p) { return $null }',
      '  $v = $p | Get-Volume',
      '  [int64]$v.SizeRemaining',
      '}',
      `$esp = Get-Free '${ESP_GUID}'`,
      `$recovery = Get-Free '${RECOVERY_GUID}'`,
      '$temp = @(Get-ChildItem -LiteralPath "$env:SystemRoot\\Temp" -Force',
      '  -ErrorAction SilentlyContinue).Count',
      `$espOk = ($esp -eq $null) -or ($esp -ge ${partitionLimits.espMinFreeBytes})`,
      `$tempOk = $temp -lt ${partitionLimits.maxTempFiles}`,
      '[pscustomobject]@{',
      '  ok = ($espOk -and $tempOk)',
      '  espFreeBytes = $esp',
      '  recoveryFreeBytes = $recovery',
      '  tempFiles = $temp',
      "  message = $(if (-not $espOk) { 'EFI System Partition nearly full' }",
      "    elseif (-not $tempOk) { 'too many files in Windows\\Temp' })",
      '} | ConvertTo-Json -Compress',
    ].join('\n'),
  );
}

export const checkSystemPartitionSpace: RemedyImplementation<NoParams> = {
  name: 'check-system-partition-space',
  platforms: ['win32'],
  idempotent: true,
  recheck: () => 'patch-assessment',
  run: (ctx) =>
    runRemedyScript(ctx, systemPartitionScript(), (f) =>
      f.ok
        ? `system partitions have room (EFI ${mb(f.espFreeBytes)} free, ${f.tempFiles} temp files)`
        : `${f.message} (EFI ${mb(f.espFreeBytes)} free, ${f.tempFiles} temp files)`,
    ),
};

/**
 * Windows Update talks through WinHTTP, not the browser's proxy: `netsh
 * winhttp show proxy` says which proxy it uses, "Direct access" when none.
 * The step fails when a proxy is set that does not answer on its port, so
 * the ticket carries the setting.
 */
export function winHttpProxyScript(): string {
  return remedyScript(
    [
      '$text = (netsh.exe winhttp show proxy | Out-String)',
      "$m = [regex]::Match($text, 'Proxy Server\\(s\\)\\s*:\\s*(\\S+)')",
      'if (-not $m.Success) {',
      "  [pscustomobject]@{ ok = $true; proxy = 'direct' } |",
      '    ConvertTo-Json -Compress',
      '  return',
      '}',
      '$proxy = $m.Groups[1].Value',
      "$hostPort = ($proxy -split ';')[0] -replace '^\\w+=', ''",
      "$parts = $hostPort -split ':'",
      '$port = if ($parts.Count -gt 1) { [int]$parts[1] } else { 80 }',
      '$reach = Test-NetConnection -ComputerName $parts[0] -Port $port',
      '  -InformationLevel Quiet -WarningAction SilentlyContinue',
      '[pscustomobject]@{',
      '  ok = [bool]$reach',
      '  proxy = $proxy',
      "  message = $(if (-not $reach) { 'WinHTTP proxy does not answer' })",
      '} | ConvertTo-Json -Compress',
    ].join('\n'),
  );
}

export const checkWinHttpProxy: RemedyImplementation<NoParams> = {
  name: 'check-winhttp-proxy',
  platforms: ['win32'],
  idempotent: true,
  recheck: () => 'patch-assessment',
  run: (ctx) =>
    runRemedyScript(ctx, winHttpProxyScript(), (f) =>
      f.ok ? `WinHTTP proxy: ${f.proxy}` : `${f.message}: ${f.proxy}`,
    ),
};

function mb(value: unknown) {
  return typeof value === 'number' ? `${Math.round(value / MB)} MB` : 'n/a';
}
