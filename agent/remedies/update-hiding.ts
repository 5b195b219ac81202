import {
  psQuote,
  remedyScript,
  runRemedyScript,
} from './powershell-outcome.js';
import type { Refusal, RemedyImplementation } from './types.js';

type KbParams = { kb?: string };

/**
 * Hides one update from Windows Update (IUpdate.IsHidden), the documented
 * way to stop it being offered and retried: the WinRE update that fails on
 * a recovery partition that is too small keeps failing at every retry
 * until a human resizes the partition (KB5028997), so the chain stops the
 * retries first and then hands the fix to a technician.
 */
export function hideUpdateScript(kb: string): string {
  const number = psQuote(kb.replace(/^KB/i, ''));
  return remedyScript(
    [
      '$session = New-Object -ComObject Microsoft.Update.Session',
      '$searcher = $session.CreateUpdateSearcher()',
      "$found = $searcher.Search('IsInstalled=0')",
      '$hidden = @()',
      'foreach ($u in $found.Updates) {',
      `  if (@($u.KBArticleIDs) -notcontains ${number}) { continue }`,
      '  $u.IsHidden = $true',
      '  $hidden += [string]$u.Title',
      '}',
      '[pscustomobject]@{',
      '  ok = ($hidden.Count -gt 0)',
      '  hidden = $hidden.Count',
      "  message = $(if ($hidden.Count -eq 0) { 'update not offered' })",
      '} | ConvertTo-Json -Compress',
    ].join('\n'),
  );
}

const needsKb = (params: KbParams): Refusal | undefined =>
  params.kb
    ? undefined
    : { reason: 'not-allowed', message: 'the step needs the KB it is for' };

function hidingRemedy(
  name: 'hide-update' | 'stop-update-retry',
): RemedyImplementation<KbParams> {
  return {
    name,
    platforms: ['win32'],
    idempotent: true,
    recheck: () => 'patch-assessment',
    refuse: needsKb,
    run: (ctx, params) =>
      runRemedyScript(ctx, hideUpdateScript(params.kb as string), (f) =>
        f.ok
          ? `${params.kb} hidden: Windows Update stops retrying it`
          : `${params.kb} not hidden: ${f.message}`,
      ),
  };
}

export const hideUpdate = hidingRemedy('hide-update');
export const stopUpdateRetry = hidingRemedy('stop-update-retry');
