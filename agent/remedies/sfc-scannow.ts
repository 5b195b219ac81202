import {
  nativeCall,
  remedyScript,
  runRemedyScript,
} from './powershell-outcome.js';
import type { RemedyImplementation } from './types.js';

type NoParams = Record<string, never>;

/**
 * `sfc /scannow`: verifies the protected system files and repairs them
 * from the component store (hence after DISM in the chain). Its messages
 * are localised and its exit code is not documented beyond 0 for a clean
 * run; the patch-assessment re-check, not sfc's own words, is the proof.
 */
export const sfcScannow: RemedyImplementation<NoParams> = {
  name: 'sfc-scannow',
  platforms: ['win32'],
  idempotent: true,
  recheck: () => 'patch-assessment',
  run: (ctx) =>
    runRemedyScript(ctx, sfcScript(), (f) =>
      f.ok
        ? 'system file check finished'
        : `system file check failed: ${f.message ?? `exit ${f.exitCode}`}`,
    ),
};

export function sfcScript(): string {
  return remedyScript(
    [
      nativeCall('& "$env:SystemRoot\\System32\\sfc.exe" /scannow', 2),
      '[pscustomobject]@{',
      '  ok = ($code -eq 0)',
      '  exitCode = $code',
      '  tail = $tail',
      '} | ConvertTo-Json -Compress',
    ].join('\n'),
  );
}
