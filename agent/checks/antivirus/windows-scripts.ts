import { VENDOR_SIGNATURE_SOURCES } from './vendor-signatures.js';

/**
 * The PowerShell the Windows antivirus probe runs (each through
 * runPowerShell, as -EncodedCommand). Every script ends in one JSON
 * document on stdout and exits 0 even when the query fails: the failure
 * is data (`Error`, `ErrorId`), so "SecurityCenter2 is absent" and
 * "PowerShell broke" stay apart. docs/windows-probes.md lists the fields.
 */
const errorObject = (extra = '') =>
  `[pscustomobject]@{ ${extra}Error = $_.Exception.Message; ` +
  'ErrorId = $_.FullyQualifiedErrorId }';

/** Defender's own status (MSFT_MpComputerStatus), dates as /Date(ms)/. */
export const MP_STATUS_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  'try {',
  '  Get-MpComputerStatus | Select-Object AMRunningMode, AMServiceEnabled,',
  '    AMEngineVersion, AMProductVersion, AntivirusEnabled,',
  '    AntispywareEnabled, RealTimeProtectionEnabled,',
  '    AntivirusSignatureAge, AntivirusSignatureVersion,',
  '    AntivirusSignatureLastUpdated, AntispywareSignatureAge,',
  '    AntispywareSignatureVersion, AntispywareSignatureLastUpdated,',
  '    QuickScanAge, FullScanAge, DefenderSignaturesOutOfDate |',
  '    ConvertTo-Json -Compress',
  '} catch {',
  `  ${errorObject()} | ConvertTo-Json -Compress`,
  '}',
].join('\n');

/**
 * Every registered antivirus product. `Installed` is whether the product's
 * executable still exists (null when the path is not a file path, as
 * Defender's `windowsdefender://`): uninstallers often leave the entry.
 * Windows Server has no root/SecurityCenter2; the error says so.
 */
export const SECURITY_CENTER_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  'try {',
  '  $products = @(Get-CimInstance -Namespace root/SecurityCenter2 `',
  '      -ClassName AntiVirusProduct | ForEach-Object {',
  '    $exe = [Environment]::ExpandEnvironmentVariables(',
  '      [string]$_.pathToSignedProductExe)',
  '    [pscustomobject]@{',
  '      displayName = $_.displayName',
  '      pathToSignedProductExe = $_.pathToSignedProductExe',
  '      pathToSignedReportingExe = $_.pathToSignedReportingExe',
  '      productState = $_.productState',
  '      timestamp = $_.timestamp',
  "      installed = if ($exe -match '^[A-Za-z]:\\\\') {",
  '        Test-Path -LiteralPath $exe } else { $null }',
  '    }',
  '  })',
  '  ConvertTo-Json -InputObject $products -Compress',
  '} catch {',
  `  ${errorObject("Namespace = 'root/SecurityCenter2'; ")} |`,
  '    ConvertTo-Json -Compress',
  '}',
].join('\n');

/**
 * One line per readable vendor signature source of
 * VENDOR_SIGNATURE_SOURCES: registry values (a `<product>` segment becomes
 * a wildcard) and XML attributes under %ProgramFiles%. Unreadable sources
 * print nothing.
 */
export function vendorSignatureScript(): string {
  const reads = VENDOR_SIGNATURE_SOURCES.flatMap((s) => {
    if (!s.valueName) return [];
    if (s.location.startsWith('HKLM\\')) {
      return [registryRead(s.product, s.location, s.valueName)];
    }
    if (s.location.endsWith('.xml')) {
      return [xmlRead(s.product, s.location, s.valueName)];
    }
    return [];
  });
  return [
    '$found = [System.Collections.ArrayList]@()',
    'function Add-Found($product, $value) {',
    "  if ($null -ne $value -and [string]$value -ne '') {",
    '    [void]$found.Add([pscustomobject]@{',
    '      Product = $product; Value = [string]$value })',
    '  }',
    '}',
    ...reads,
    'ConvertTo-Json -InputObject @($found) -Compress',
  ].join('\n');
}

function registryRead(product: string, location: string, valueName: string) {
  const path = `HKLM:\\${location.slice('HKLM\\'.length)}`.replace(
    /<[^>]+>/g,
    '*',
  );
  return [
    `Get-ItemProperty -Path '${path}' -Name '${valueName}' `,
    '  -ErrorAction SilentlyContinue | ForEach-Object {',
    `  Add-Found '${product}' $_.'${valueName}' }`,
  ].join('\n');
}

/** `A/B/C@attr` in the XML file the location names. */
function xmlRead(product: string, location: string, valueName: string) {
  const [node, attribute] = valueName.split('@');
  const file = location.replace(/^%ProgramFiles%\\/i, '');
  return [
    `$xmlPath = Join-Path $env:ProgramFiles '${file}'`,
    'if (Test-Path -LiteralPath $xmlPath) {',
    '  try {',
    '    $xml = [xml](Get-Content -LiteralPath $xmlPath -Raw)',
    `    $node = $xml.SelectSingleNode('/${node}')`,
    `    if ($node) { Add-Found '${product}' $node.GetAttribute('${attribute}') }`,
    '  } catch { }',
    '}',
  ].join('\n');
}
