/**
 * The Windows patch probe: one PowerShell script that reads the update
 * service first and searches only when it can run, then prints one JSON
 * object. Documented field by field in docs/checks.md.
 *
 * Why the service first: with wuauserv disabled the search throws
 * 0x80070422, and scripts that swallow that report "0 missing updates".
 * Here a disabled or deleted service ends the script with no `Updates`
 * key at all, which the judge reads as "unknown", never as zero.
 *
 * A WMI failure while reading the service is reported as `ServiceError`
 * and the search still runs: broken WMI is not a deleted service.
 *
 * Classification is the category whose Type is UpdateClassification.
 * History is capped at the newest 50 entries to keep the run short.
 */
export const WINDOWS_PATCH_SCRIPT = String.raw`
$ErrorActionPreference = 'Stop'
$out = [ordered]@{ Service = $null }
$filter = "Name='wuauserv'"
$svc = $null
$svcRead = $true
try { $svc = Get-CimInstance Win32_Service -Filter $filter }
catch { $svcRead = $false; $out.ServiceError = [string]$_.Exception.Message }
if ($svc) {
  $out.Service = [ordered]@{
    StartMode = [string]$svc.StartMode
    State = [string]$svc.State
  }
}
if ($svcRead -and (-not $svc -or $svc.StartMode -eq 'Disabled')) {
  $out | ConvertTo-Json -Depth 5 -Compress
  exit 0
}
try {
  $session = New-Object -ComObject Microsoft.Update.Session
  $searcher = $session.CreateUpdateSearcher()
  $found = $searcher.Search('IsInstalled=0 and IsHidden=0')
  $out.Updates = @(foreach ($u in $found.Updates) {
    $class = @($u.Categories |
      Where-Object { $_.Type -eq 'UpdateClassification' } |
      ForEach-Object { [string]$_.Name })
    $changed = $u.LastDeploymentChangeTime.ToUniversalTime()
    [ordered]@{
      Title = [string]$u.Title
      KB = @($u.KBArticleIDs | ForEach-Object { [string]$_ })
      Classification = $class | Select-Object -First 1
      MsrcSeverity = [string]$u.MsrcSeverity
      MaxDownloadSize = [int64]$u.MaxDownloadSize
      RebootBehavior = [int]$u.InstallationBehavior.RebootBehavior
      LastDeploymentChangeTime = $changed.ToString('o')
    }
  })
  $total = $searcher.GetTotalHistoryCount()
  $entries = @()
  if ($total -gt 0) {
    $entries = $searcher.QueryHistory(0, [Math]::Min($total, 50))
  }
  $out.History = @(foreach ($h in $entries) {
    [ordered]@{
      Title = [string]$h.Title
      Date = $h.Date.ToUniversalTime().ToString('o')
      Operation = [int]$h.Operation
      ResultCode = [int]$h.ResultCode
      HResult = [int]$h.HResult
    }
  })
} catch {
  $out.SearchError = [ordered]@{
    Message = [string]$_.Exception.Message
    HResult = [int]$_.Exception.HResult
  }
}
try {
  $info = New-Object -ComObject Microsoft.Update.SystemInfo
  $out.RebootRequired = [bool]$info.RebootRequired
} catch {
  $out.RebootRequired = $null
}
$out | ConvertTo-Json -Depth 5 -Compress
`;
