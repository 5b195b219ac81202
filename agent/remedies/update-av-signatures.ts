import type { AvProduct } from '../../core/index.js';
import {
  FRESHCLAM_EXIT,
  updaterPlatform,
  WINDOWS_UPDATERS,
  type WindowsUpdater,
} from './av-updaters.js';
import {
  nativeCall,
  psQuote,
  remedyScript,
  runRemedyScript,
} from './powershell-outcome.js';
import type {
  RemedyContext,
  RemedyImplementation,
  RemedyOutcome,
} from './types.js';

interface SignatureParams {
  product: AvProduct;
}

/**
 * Asks the named product's own updater for fresh signatures. Updating
 * twice only checks twice, so a rerun after a restart is harmless.
 */
export const updateAvSignatures: RemedyImplementation<SignatureParams> = {
  name: 'update-av-signatures',
  platforms: ['win32', 'linux', 'darwin'],
  idempotent: true,
  recheck: () => 'antivirus',
  refuse: (params, platform) => {
    const home = updaterPlatform(params.product);
    if (home === platform) return undefined;
    return {
      reason: 'not-implemented',
      message: home
        ? `${params.product} signatures are updated on ${home}, not ${platform}`
        : `no command-line signature update is known for ${params.product}`,
    };
  },
  run: (ctx, { product }) => {
    if (product === 'clamav') return freshclam(ctx);
    if (product === 'xprotect') return xprotect(ctx);
    return runRemedyScript(ctx, signatureScript(product), (f) =>
      f.ok
        ? `${product} updater finished`
        : `${product} updater failed: ${f.message ?? `exit ${f.exitCode}`}`,
    );
  },
};

/** The Windows script for a product, exported so tests assert it exactly. */
export function signatureScript(product: AvProduct): string {
  if (product === 'defender') return defenderScript();
  const updater = WINDOWS_UPDATERS[product];
  if (!updater) throw new RangeError(`no Windows updater for ${product}`);
  return vendorScript(updater);
}

function defenderScript(): string {
  return remedyScript(
    [
      'Update-MpSignature',
      '$status = Get-MpComputerStatus',
      '[pscustomobject]@{',
      '  ok = $true',
      '  signatureVersion = $status.AntivirusSignatureVersion',
      '  signatureAgeDays = $status.AntivirusSignatureAge',
      '} | ConvertTo-Json -Compress',
    ].join('\n'),
  );
}

function vendorScript(updater: WindowsUpdater): string {
  const args = updater.args.map(psQuote).join(' ');
  return remedyScript(
    [
      '$candidates = @(',
      updater.candidates.map((c) => `  "${c}"`).join(',\n'),
      ')',
      '$exe = $candidates |',
      '  Where-Object { Test-Path -LiteralPath $_ } |',
      '  Select-Object -First 1',
      'if (-not $exe) {',
      "  [pscustomobject]@{ ok = $false; message = 'updater not found' } |",
      '    ConvertTo-Json -Compress',
      '  return',
      '}',
      nativeCall(`& $exe ${args}`.trimEnd()),
      '[pscustomobject]@{',
      '  ok = ($code -eq 0)',
      '  exitCode = $code',
      '  updater = $exe',
      '  tail = $tail',
      '} | ConvertTo-Json -Compress',
    ].join('\n'),
  );
}

/**
 * `freshclam`; when the freshclam daemon already holds its log (exit 62),
 * restarting the daemon makes it check for updates at once instead.
 */
async function freshclam(ctx: RemedyContext): Promise<RemedyOutcome> {
  const options = { timeoutMs: ctx.timeoutMs };
  const run = await ctx.run('freshclam', ['--stdout'], options);
  const code = run.exitCode;
  if (code === FRESHCLAM_EXIT.updated || code === FRESHCLAM_EXIT.upToDate) {
    const fresh = code === FRESHCLAM_EXIT.updated;
    return {
      ok: true,
      summary: fresh ? 'ClamAV databases updated' : 'ClamAV databases current',
      details: { exitCode: code },
    };
  }
  if (code !== FRESHCLAM_EXIT.loggerLocked) {
    const why = run.spawnError ?? lastLine(run.stdout) ?? `exit ${code}`;
    return {
      ok: false,
      summary: `freshclam failed: ${why}`,
      details: { exitCode: code ?? -1, timedOut: run.timedOut },
    };
  }

  const restart = await ctx.run(
    'systemctl',
    ['restart', 'clamav-freshclam'],
    options,
  );
  const ok = restart.exitCode === 0;
  return {
    ok,
    summary: ok
      ? 'freshclam daemon restarted to update now'
      : `freshclam daemon busy and not restarted: ${lastLine(restart.stderr)}`,
    details: { exitCode: code, restartExitCode: restart.exitCode ?? -1 },
  };
}

/** macOS 15 and later: `xprotect update` fetches XProtect's data now. */
async function xprotect(ctx: RemedyContext): Promise<RemedyOutcome> {
  const run = await ctx.run('/usr/bin/xprotect', ['update'], {
    timeoutMs: ctx.timeoutMs,
  });
  const ok = run.exitCode === 0;
  const why = run.spawnError ?? lastLine(run.stderr) ?? `exit ${run.exitCode}`;
  return {
    ok,
    summary: ok ? 'XProtect updated' : `xprotect update failed: ${why}`,
    details: { exitCode: run.exitCode ?? -1 },
  };
}

function lastLine(text: string): string | undefined {
  return text.trim().split('\n').at(-1)?.trim() || undefined;
}
