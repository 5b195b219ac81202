/**
 * Command-line scanners of third-party products, as their vendors document
 * them. The agent does not run these yet: without a documented exit-code
 * table (or a product to verify one on) it could not tell "clean" from
 * "failed", and a false "clean" is worse than "unknown". A client on one of
 * these products gets `spyware.product-unsupported` with the command, so a
 * technician can run it. docs/checks.md holds the same table with sources.
 */
export interface VendorScanner {
  product: string;
  platform: 'win32' | 'linux' | 'darwin';
  command: string;
  /** Exit codes as documented; empty when the vendor does not say. */
  exitCodes: Readonly<Record<number, string>>;
  known: string;
  unknown: string;
}

export const VENDOR_SCANNERS: readonly VendorScanner[] = [
  {
    product: 'sophos',
    platform: 'win32',
    command:
      'C:\\Program Files\\Sophos\\Endpoint Defense\\' +
      'sophosinterceptxcli.exe scan',
    exitCodes: {},
    known: 'Installed with Sophos Endpoint; runs a system or a path scan.',
    unknown: 'Exit codes; results are reported to Sophos Central.',
  },
  {
    product: 'sophos',
    platform: 'linux',
    command: '/opt/sophos-spl/plugins/av/bin/avscanner',
    exitCodes: {},
    known: 'The on-demand scanner of Sophos Protection for Linux.',
    unknown: 'Exit codes other than 0 for a clean scan.',
  },
  {
    product: 'eset',
    platform: 'win32',
    command: 'C:\\Program Files\\ESET\\ESET Security\\ecls.exe',
    exitCodes: {
      0: 'no threat found',
      1: 'threat found and cleaned',
      10: 'some files could not be scanned',
      50: 'threat found',
      100: 'error',
    },
    known: 'Command-line scanner with a documented exit-code table.',
    unknown: 'Which switches match a quick scan on each product edition.',
  },
  {
    product: 'bitdefender',
    platform: 'win32',
    command:
      'C:\\Program Files\\Bitdefender\\Endpoint Security\\product.console.exe',
    exitCodes: {},
    known: 'GravityZone console tool that starts scan tasks.',
    unknown: 'The scan-task syntax per version and the exit codes.',
  },
  {
    product: 'kaspersky',
    platform: 'linux',
    command: 'kesl-control --scan-file <path>',
    exitCodes: { 0: 'completed', 72: 'threats detected', 64: 'not running' },
    known: 'KES for Linux documents its return codes.',
    unknown: 'KES for Windows (avp.com) return codes per version.',
  },
  {
    product: 'webroot',
    platform: 'win32',
    command: 'C:\\Program Files\\Webroot\\WRSA.exe',
    exitCodes: {},
    known: 'The agent binary; scans are driven from the Webroot console.',
    unknown: 'A documented scan switch and exit codes.',
  },
];

export function vendorScanner(product: string, platform: NodeJS.Platform) {
  return VENDOR_SCANNERS.find(
    (v) => v.product === product && v.platform === platform,
  );
}
