import { remedyScript, runRemedyScript } from './powershell-outcome.js';
import type { RemedyImplementation } from './types.js';

type NoParams = Record<string, never>;

/** The services that hold SoftwareDistribution and catroot2 open. */
export const WU_SERVICES = ['wuauserv', 'bits', 'cryptsvc'] as const;

/**
 * Resets the Windows Update components the way Microsoft's troubleshooting
 * guide does by hand: stop the services, rename SoftwareDistribution and
 * catroot2 (Windows rebuilds both), start the services again. The renamed
 * folders keep a time stamp so that nothing is overwritten and a technician
 * can look at the old ones.
 *
 * The services are started in `finally`, so a rename that fails does not
 * leave the update services stopped. Not idempotent: a restart between
 * the stop and the start is reported FAILED `interrupted`; the next step
 * of the chain decides, not a blind second reset.
 */
export const resetWuComponents: RemedyImplementation<NoParams> = {
  name: 'reset-wu-components',
  platforms: ['win32'],
  idempotent: false,
  recheck: () => 'patch-assessment',
  run: (ctx) =>
    runRemedyScript(ctx, resetWuScript(), (f) =>
      f.ok
        ? `update components reset (${f.renamed})`
        : `update components not reset: ${f.message}`,
    ),
};

export function resetWuScript(): string {
  const services = WU_SERVICES.map((s) => `'${s}'`).join(', ');
  return remedyScript(
    [
      `$services = @(${services})`,
      "$stamp = Get-Date -Format 'yyyyMMddHHmmss'",
      '$folders = @(',
      '  "$env:SystemRoot\\SoftwareDistribution",',
      '  "$env:SystemRoot\\System32\\catroot2"',
      ')',
      '$renamed = @()',
      'Stop-Service -Name $services -Force',
      'try {',
      '  foreach ($folder in $folders) {',
      '    if (-not (Test-Path -LiteralPath $folder)) { continue }',
      '    $name = "$(Split-Path -Leaf $folder).upkeep-$stamp"',
      '    Rename-Item -LiteralPath $folder -NewName $name',
      '    $renamed += $name',
      '  }',
      '} finally {',
      '  Start-Service -Name $services',
      '}',
      '[pscustomobject]@{',
      '  ok = $true',
      "  renamed = ($renamed -join ', ')",
      '} | ConvertTo-Json -Compress',
    ].join('\n'),
  );
}
