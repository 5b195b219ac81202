import * as z from 'zod';
import { psQuote, remedyScript } from './powershell-outcome.js';

/**
 * Installing updates through the Windows Update Agent API, the COM objects
 * Windows Update itself uses (Microsoft.Update.Session, UpdateSearcher,
 * UpdateDownloader, UpdateInstaller; learn.microsoft.com/windows/win32/
 * wua_sdk). One script searches the missing updates for the KBs asked,
 * downloads and installs them, then reads back what is true afterwards:
 * which of them a new search still lists as missing, which the history
 * records as succeeded, which `Get-HotFix` lists, and whether Windows waits
 * for a restart. The judge below believes those reads, not the installer's
 * result code alone.
 */
export function wuaInstallScript(kbs: readonly string[]): string {
  const numbers = kbs.map((kb) => psQuote(kb.replace(/^KB/i, ''))).join(', ');
  return remedyScript(
    [
      `$wanted = @(${numbers})`,
      '$session = New-Object -ComObject Microsoft.Update.Session',
      '$searcher = $session.CreateUpdateSearcher()',
      "$found = $searcher.Search('IsInstalled=0 and IsHidden=0')",
      '$todo = New-Object -ComObject Microsoft.Update.UpdateColl',
      'foreach ($u in $found.Updates) {',
      '  $ids = @($u.KBArticleIDs | ForEach-Object { [string]$_ })',
      '  if (-not ($ids | Where-Object { $wanted -contains $_ })) { continue }',
      '  if (-not $u.EulaAccepted) { $u.AcceptEula() }',
      '  [void]$todo.Add($u)',
      '}',
      '$results = @()',
      'if ($todo.Count -gt 0) {',
      '  $downloader = $session.CreateUpdateDownloader()',
      '  $downloader.Updates = $todo',
      '  [void]$downloader.Download()',
      '  $installer = $session.CreateUpdateInstaller()',
      '  $installer.Updates = $todo',
      '  $outcome = $installer.Install()',
      '  for ($i = 0; $i -lt $todo.Count; $i++) {',
      '    $r = $outcome.GetUpdateResult($i)',
      '    $results += [ordered]@{',
      '      KB = @($todo.Item($i).KBArticleIDs)[0]',
      '      ResultCode = [int]$r.ResultCode',
      '      HResult = [int]$r.HResult',
      '      RebootRequired = [bool]$r.RebootRequired',
      '    }',
      '  }',
      '}',
      "$after = $searcher.Search('IsInstalled=0 and IsHidden=0')",
      '$missing = @(foreach ($u in $after.Updates) {',
      '  @($u.KBArticleIDs) | Where-Object { $wanted -contains $_ }',
      '})',
      '$total = $searcher.GetTotalHistoryCount()',
      '$entries = @()',
      'if ($total -gt 0) {',
      '  $entries = $searcher.QueryHistory(0, [Math]::Min($total, 50))',
      '}',
      '$history = @(foreach ($h in $entries) {',
      "  $m = [regex]::Match([string]$h.Title, 'KB(\\d{6,8})')",
      '  if (-not $m.Success -or $wanted -notcontains $m.Groups[1].Value) {',
      '    continue',
      '  }',
      '  [ordered]@{',
      '    KB = $m.Groups[1].Value',
      "    Date = $h.Date.ToUniversalTime().ToString('o')",
      '    ResultCode = [int]$h.ResultCode',
      '    HResult = [int]$h.HResult',
      '  }',
      '})',
      '$hotfix = @(Get-HotFix -ErrorAction SilentlyContinue |',
      "  ForEach-Object { ([string]$_.HotFixID) -replace '^KB', '' } |",
      '  Where-Object { $wanted -contains $_ })',
      '$info = New-Object -ComObject Microsoft.Update.SystemInfo',
      '[ordered]@{',
      '  ok = $true',
      '  Results = $results',
      '  StillMissing = $missing',
      '  History = $history',
      '  HotFix = $hotfix',
      '  RebootRequired = [bool]$info.RebootRequired',
      '} | ConvertTo-Json -Depth 4 -Compress',
    ].join('\n'),
  );
}

/** PowerShell 5.1 writes a one-element array as the bare element. */
const listOf = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) => (Array.isArray(v) ? v : v === null || v === undefined ? [] : [v]),
    z.array(item),
  );
const kbText = z.union([z.string(), z.number()]).transform(String);

const installOutputSchema = z.object({
  ok: z.literal(true),
  Results: listOf(
    z.object({
      KB: kbText,
      ResultCode: z.number(),
      HResult: z.number(),
      RebootRequired: z.boolean(),
    }),
  ),
  StillMissing: listOf(kbText),
  History: listOf(
    z.object({
      KB: kbText,
      Date: z.string(),
      ResultCode: z.number(),
      HResult: z.number(),
    }),
  ),
  HotFix: listOf(kbText),
  RebootRequired: z.boolean(),
});

export type WuaInstallOutput = z.infer<typeof installOutputSchema>;

/** The script's JSON line, or undefined when it printed something else. */
export function parseWuaInstall(stdout: string): WuaInstallOutput | undefined {
  const line = stdout
    .split(/\r?\n/)
    .filter((l) => l.trim().startsWith('{'))
    .at(-1);
  if (!line) return undefined;
  try {
    const parsed = installOutputSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export type KbState =
  /** Not offered by the search and not recorded anywhere. */
  | 'not-offered'
  | 'installed'
  | 'pending-reboot'
  | 'failed'
  /** The installer said it succeeded, yet nothing shows it installed. */
  | 'claimed-not-installed';

export interface KbOutcome {
  kb: string;
  state: KbState;
  hresult?: string;
}

const hex = (n: number) =>
  `0x${(n >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;

/**
 * What became of each KB asked for, from what Windows says afterwards:
 *
 * | installer result      | after                               | state |
 * |-----------------------|-------------------------------------|-------|
 * | 4 failed, 5 aborted   | any                                 | failed |
 * | 2, 3 or none          | not missing, history or HotFix ok   | installed |
 * | 2, 3 or none          | restart due, history succeeded      | pending-reboot |
 * | 2 or 3                | still missing, no restart, no entry | claimed-not-installed |
 * | none                  | not missing, no record              | not-offered |
 */
export function judgeWuaInstall(
  kbs: readonly string[],
  output: WuaInstallOutput,
): KbOutcome[] {
  return kbs.map((asked) => {
    const kb = asked.replace(/^KB/i, '');
    const name = `KB${kb}`;
    const result = output.Results.find((r) => r.KB === kb);
    const history = output.History.filter((h) => h.KB === kb).sort((a, b) =>
      b.Date.localeCompare(a.Date),
    );
    const latest = history[0];
    if (result && (result.ResultCode === 4 || result.ResultCode === 5)) {
      return { kb: name, state: 'failed', hresult: hex(result.HResult) };
    }
    if (!result && latest && latest.ResultCode >= 4) {
      return { kb: name, state: 'failed', hresult: hex(latest.HResult) };
    }
    const missing = output.StillMissing.includes(kb);
    const recorded =
      output.HotFix.includes(kb) || latest?.ResultCode === 2 || false;
    if (!missing && recorded) return { kb: name, state: 'installed' };
    const restartDue = output.RebootRequired || result?.RebootRequired;
    if (restartDue && (recorded || result)) {
      return { kb: name, state: 'pending-reboot' };
    }
    if (result) return { kb: name, state: 'claimed-not-installed' };
    return { kb: name, state: missing ? 'failed' : 'not-offered' };
  });
}
