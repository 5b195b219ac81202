/** The kinds of recorded output `diagnose` judges. */
export const DIAGNOSE_KINDS = [
  'smart',
  'antivirus',
  'disk',
  'windows-update',
] as const;

export type DiagnoseKind = (typeof DIAGNOSE_KINDS)[number];

export function isDiagnoseKind(value: string): value is DiagnoseKind {
  return (DIAGNOSE_KINDS as readonly string[]).includes(value);
}

const DF_ROW =
  /^\S+\s+[\d.,]+[KMGTPE]?i?\s+[\d.,]+[KMGTPE]?i?\s+[\d.,]+[KMGTPE]?i?\s+(\d+%|-)\s+\//m;

/**
 * Marks of each kind. Every mark that matches scores one; the kind with
 * the most marks wins, and a tie goes to the earlier kind in this table,
 * the more specific formats first.
 */
const MARKS: Record<DiagnoseKind, RegExp[]> = {
  smart: [
    /"smartctl"\s*:/,
    /"(ata_smart_attributes|nvme_smart_health_information_log)"/,
    /^smartctl (pre-)?\d+\.\d+/m,
    /\bsmartctl\b/,
    /SMART overall-health|SMART\/Health Information/i,
    /ID#\s+ATTRIBUTE_NAME/,
    /=== START OF [A-Z ]+ SECTION ===/,
  ],
  antivirus: [
    /\bAMRunningMode\b/i,
    /\b(Antivirus|Antispyware)Signature(Age|LastUpdated|Version)\b/i,
    /\bAMEngineVersion\b/i,
    /\bproductState\b/i,
    /SecurityCenter2|AntiVirusProduct/i,
    /MSFT_MpComputerStatus|Get-MpComputerStatus/i,
    /ClamAV-VDB:|^ClamAV \d+\.\d+/m,
    /\bXProtect/,
  ],
  disk: [
    /^Filesystem\s+.*Mounted on/im,
    /\bI?Use%/,
    /^\s*DriveType\s*[=:]/im,
    /^\s*(FreeSpace|Capacity|SizeRemaining)\s*[=:]/im,
    /"(DriveType|FreeSpace|SizeRemaining|Capacity)"\s*:/,
    /Win32_(Volume|LogicalDisk)|wmic (volume|logicaldisk)|Get-Volume/i,
    /^\S*[$#>]\s*df\b/m,
    DF_ROW,
  ],
  'windows-update': [
    /\b0x8[0-9a-f]{7}\b/i,
    /\bhr\s*=\s*8[0-9a-f]{7}\b/i,
    /\bCBS\b|\bCSI\b/,
    /WindowsUpdate|Windows Update|wuauserv|SoftwareDistribution|UsoSvc/i,
    /\bKB\d{6,7}\b/,
    /\bDISM\b|Deployment Image Servicing/i,
    /HRESULT/i,
    /\b(Operation)?ResultCode\b/i,
  ],
};

/** The kind of a recorded output, or undefined when nothing matches. */
export function detectKind(text: string): DiagnoseKind | undefined {
  let best: DiagnoseKind | undefined;
  let bestScore = 0;

  for (const kind of DIAGNOSE_KINDS) {
    const score = MARKS[kind].filter((mark) => mark.test(text)).length;
    if (score > bestScore) {
      best = kind;
      bestScore = score;
    }
  }
  return best;
}
