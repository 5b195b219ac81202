import { runCleanupForReal } from './cleanup.js';
import {
  nativeCall,
  remedyScript,
  runRemedyScript,
} from './powershell-outcome.js';
import type { RemedyImplementation } from './types.js';

interface FreeSpaceParams {
  minFreeBytes: number;
}

/**
 * Makes room for Windows Update on the system drive: the real cleanup,
 * then `DISM /Online /Cleanup-Image /StartComponentCleanup` (superseded
 * components), then a measurement of what the system drive has free. It
 * succeeds only when at least `minFreeBytes` are free (Microsoft advises
 * 20 GB for feature updates). Both steps only delete what is no longer
 * needed: idempotent.
 */
export const freeSpaceForWu: RemedyImplementation<FreeSpaceParams> = {
  name: 'free-space-for-wu',
  platforms: ['win32'],
  idempotent: true,
  recheck: () => 'disk-space',
  run: async (ctx, params) => {
    const cleaned = await runCleanupForReal(ctx, {});
    const store = await runRemedyScript(
      ctx,
      componentCleanupScript(params.minFreeBytes),
      (f) =>
        f.ok
          ? `${f.freeBytes} bytes free on the system drive`
          : `system drive has ${f.freeBytes ?? '?'} bytes free, needs ` +
            `${params.minFreeBytes} (DISM exit ${f.exitCode})`,
    );
    return {
      ok: cleaned.ok && store.ok,
      summary: `${cleaned.summary}; ${store.summary}`,
      details: { ...cleaned.details, ...store.details },
    };
  },
};

export function componentCleanupScript(minFreeBytes: number): string {
  return remedyScript(
    [
      nativeCall(
        '& "$env:SystemRoot\\System32\\Dism.exe" /Online /Cleanup-Image ' +
          '/StartComponentCleanup /NoRestart',
      ),
      '$drive = [System.IO.DriveInfo]::new($env:SystemDrive)',
      '$free = $drive.AvailableFreeSpace',
      '[pscustomobject]@{',
      `  ok = ($code -eq 0 -and $free -ge ${minFreeBytes})`,
      '  exitCode = $code',
      '  freeBytes = $free',
      '} | ConvertTo-Json -Compress',
    ].join('\n'),
  );
}
