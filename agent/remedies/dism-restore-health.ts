import {
  nativeCall,
  remedyScript,
  runRemedyScript,
} from './powershell-outcome.js';
import type { RemedyImplementation } from './types.js';

interface DismParams {
  source?: 'windows-update' | 'matching-build-iso';
}

/** DISM exit codes that mean the repair finished (3010: restart needed). */
export const DISM_OK_CODES = [0, 3010] as const;

const DISM = '"$env:SystemRoot\\System32\\Dism.exe"';

/**
 * `DISM /Online /Cleanup-Image /RestoreHealth`. With `matching-build-iso`
 * the repair source is an install image on a mounted drive whose build
 * (and, when it has one, edition) matches the running Windows, used with
 * /LimitAccess so that DISM does not fall back to Windows Update, which is
 * what failed before (0x800F081F). No such image: the remedy fails and
 * the chain goes on to the repair install.
 *
 * RestoreHealth may run again from the start: idempotent.
 */
export const dismRestoreHealth: RemedyImplementation<DismParams> = {
  name: 'dism-restore-health',
  platforms: ['win32'],
  idempotent: true,
  recheck: () => 'patch-assessment',
  run: (ctx, params) =>
    runRemedyScript(ctx, dismScript(params), (f) =>
      f.ok
        ? `component store repaired (DISM exit ${f.exitCode})`
        : `DISM RestoreHealth failed: ${f.message ?? `exit ${f.exitCode}`}`,
    ),
};

export function dismScript(params: DismParams): string {
  const fromIso = params.source === 'matching-build-iso';
  const args = '/Online /Cleanup-Image /RestoreHealth /NoRestart';
  return remedyScript(
    [
      ...(fromIso ? findSourceLines() : []),
      nativeCall(
        fromIso
          ? `& ${DISM} ${args} "/Source:$source" /LimitAccess`
          : `& ${DISM} ${args}`,
      ),
      '[pscustomobject]@{',
      `  ok = (@(${DISM_OK_CODES.join(', ')}) -contains $code)`,
      '  exitCode = $code',
      `  rebootRequired = ($code -eq 3010)`,
      ...(fromIso ? ['  source = $source'] : []),
      '  tail = $tail',
      '} | ConvertTo-Json -Compress',
    ].join('\n'),
  );
}

/**
 * Looks for `sources\install.wim` or `install.esd` on every file-system
 * drive and picks the image whose build matches; sets `$source` to the
 * `WIM:path:index` form DISM takes, or prints a failure and stops.
 */
function findSourceLines(): string[] {
  return [
    '$build = [string][Environment]::OSVersion.Version.Build',
    '$edition = (Get-ItemProperty',
    "  'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion').EditionID",
    '$source = $null',
    '$found = foreach ($drive in Get-PSDrive -PSProvider FileSystem) {',
    "  foreach ($file in 'install.wim', 'install.esd') {",
    '    $path = Join-Path $drive.Root "sources\\$file"',
    '    if (-not (Test-Path -LiteralPath $path)) { continue }',
    '    foreach ($image in Get-WindowsImage -ImagePath $path) {',
    '      $info = Get-WindowsImage -ImagePath $path -Index $image.ImageIndex',
    "      if ($info.Version.Split('.')[2] -ne $build) { continue }",
    "      $kind = $file.Split('.')[1].ToUpper()",
    '      [pscustomobject]@{',
    '        source = "$($kind):$($path):$($image.ImageIndex)"',
    '        sameEdition = ($info.EditionId -eq $edition)',
    '      }',
    '    }',
    '  }',
    '}',
    '$best = @($found | Sort-Object -Property sameEdition -Descending)',
    'if ($best.Count -eq 0) {',
    '  [pscustomobject]@{',
    '    ok = $false',
    '    message = "no mounted install image matches build $build"',
    '  } | ConvertTo-Json -Compress',
    '  return',
    '}',
    '$source = $best[0].source',
  ];
}
