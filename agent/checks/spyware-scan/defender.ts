import type { ScanOutcome, ScanType, Threat } from './types.js';

/**
 * The Defender scan script. Start-MpScan returns when the scan ends; the
 * detections of this run are those whose InitialDetectionTime is not
 * older than the start. Threat names come from Get-MpThreat by ThreatID.
 * Fields are listed in docs/checks.md.
 */
export function defenderScript(scanType: ScanType): string {
  const type = scanType === 'full' ? 'FullScan' : 'QuickScan';
  return String.raw`
$ErrorActionPreference = 'Stop'
$start = Get-Date
$out = [ordered]@{ ScanType = '${type}'; Completed = $false }
try {
  Start-MpScan -ScanType ${type}
  $out.Completed = $true
} catch {
  $out.ScanError = [ordered]@{
    Message = [string]$_.Exception.Message
    HResult = [int]$_.Exception.HResult
  }
}
$names = @{}
Get-MpThreat -ErrorAction SilentlyContinue | ForEach-Object {
  $names[[string]$_.ThreatID] = [string]$_.ThreatName
}
$found = @(Get-MpThreatDetection -ErrorAction SilentlyContinue |
  Where-Object { $_.InitialDetectionTime -ge $start })
$out.Threats = @(foreach ($d in $found) {
  [ordered]@{
    ThreatID = [string]$d.ThreatID
    ThreatName = $names[[string]$d.ThreatID]
    Resources = @($d.Resources | Select-Object -First 2 |
      ForEach-Object { [string]$_ })
    ActionSuccess = [bool]$d.ActionSuccess
    ThreatStatusID = [int]$d.ThreatStatusID
  }
})
$out | ConvertTo-Json -Depth 5 -Compress
`;
}

/** ThreatStatusID values that mean the threat is gone or contained. */
const REMEDIATED = new Set([2, 3, 4, 6]);

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] =>
  Array.isArray(v) ? v : v === null || v === undefined ? [] : [v];

/** Parses the script's JSON into an outcome; undefined when unreadable. */
export function parseDefender(
  stdout: string,
  scanType: ScanType,
  durationMs: number,
  exitCode: number | null,
): ScanOutcome | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(stdout.trim().replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
  if (!isObject(raw) || typeof raw.Completed !== 'boolean') return undefined;

  const threats = list(raw.Threats).flatMap(toThreat);
  const error = isObject(raw.ScanError) ? raw.ScanError : undefined;
  const type = scanType === 'full' ? 'FullScan' : 'QuickScan';
  return {
    product: 'defender',
    scanType,
    completed: raw.Completed,
    threats,
    threatCount: threats.length,
    durationMs,
    errors: error ? [String(error.Message ?? 'Start-MpScan failed')] : [],
    command: `Start-MpScan -ScanType ${type}`,
    exitCode,
  };
}

function toThreat(value: unknown): Threat[] {
  if (!isObject(value)) return [];
  const [path] = list(value.Resources).map(String);
  const status =
    typeof value.ThreatStatusID === 'number' ? value.ThreatStatusID : 0;
  return [
    {
      name:
        typeof value.ThreatName === 'string' && value.ThreatName
          ? value.ThreatName
          : `ThreatID ${String(value.ThreatID ?? '?')}`,
      ...(path ? { path } : {}),
      remediated: value.ActionSuccess === true && REMEDIATED.has(status),
    },
  ];
}
