import { parseWmiDate, type WmiDate } from './dates.js';
import type { ProductKey, VendorSignature } from './types.js';

/**
 * Where each vendor keeps its own signature timestamp, so that the agent
 * can cross-check SecurityCenter2's single "out of date" bit. docs/
 * judgement.md carries the same table for people.
 */
export type TimestampFormat =
  | 'yyyymmddhh'
  | 'yyyymmdd'
  | 'yyyymmddhhmmss'
  | 'eset-scanner-version'
  | 'unix-seconds'
  | 'wmi-date'
  | 'none';

export interface VendorSignatureSource {
  product: ProductKey;
  /** Matches the product's SecurityCenter2 displayName. */
  displayName: RegExp;
  /** Registry key, file or command the value comes from. */
  location: string;
  /** Registry value, XML path or property holding the timestamp. */
  valueName?: string;
  format: TimestampFormat;
}

export const VENDOR_SIGNATURE_SOURCES: readonly VendorSignatureSource[] = [
  {
    product: 'defender',
    displayName: /defender/i,
    location: 'Get-MpComputerStatus',
    valueName: 'AntivirusSignatureLastUpdated',
    format: 'wmi-date',
  },
  {
    product: 'sophos',
    displayName: /sophos/i,
    location: 'HKLM\\SOFTWARE\\Sophos\\EndpointDefense\\Acknowledged',
    valueName: 'VirusDataVersion',
    format: 'yyyymmddhh',
  },
  {
    product: 'eset',
    displayName: /\beset\b/i,
    location: 'HKLM\\SOFTWARE\\ESET\\ESET Security\\CurrentVersion\\Info',
    valueName: 'ScannerVersion',
    format: 'eset-scanner-version',
  },
  {
    product: 'kaspersky',
    displayName: /kaspersky/i,
    location:
      'HKLM\\SOFTWARE\\WOW6432Node\\KasperskyLab\\protected\\<product>\\Data',
    valueName: 'LastSuccessfulUpdate',
    format: 'unix-seconds',
  },
  {
    product: 'bitdefender',
    displayName: /bitdefender/i,
    location:
      '%ProgramFiles%\\Bitdefender\\Endpoint Security\\update_statistics.xml',
    valueName: 'UpdateStatistics/Antivirus/Update@succtime',
    format: 'unix-seconds',
  },
  {
    product: 'trend-micro',
    displayName: /trend ?micro/i,
    location:
      'HKLM\\SOFTWARE\\WOW6432Node\\TrendMicro\\PC-cillinNTCorp\\' +
      'CurrentVersion\\Misc.',
    valueName: 'PatternDate',
    format: 'yyyymmdd',
  },
  {
    // Webroot SecureAnywhere classifies in the cloud and keeps no local
    // definition set: productState and its service are the only signals.
    product: 'webroot',
    displayName: /webroot/i,
    location: 'none (cloud lookups)',
    format: 'none',
  },
];

/** The catalogue product key of a SecurityCenter2 display name. */
export function productKey(displayName: string): ProductKey {
  const source = VENDOR_SIGNATURE_SOURCES.find((s) =>
    s.displayName.test(displayName),
  );
  return source?.product ?? 'any';
}

/** Unix time 0xFFFFFFFF is Kaspersky's "never updated". */
const UNIX_NEVER = 0xffff_ffff;

export function parseVendorTimestamp(
  format: TimestampFormat,
  raw: string,
): WmiDate | undefined {
  const t = raw.trim();
  switch (format) {
    case 'yyyymmddhh':
    case 'yyyymmdd':
    case 'yyyymmddhhmmss':
      return compactDate(t);
    case 'eset-scanner-version':
      return compactDate(/\((\d{8})\)/.exec(t)?.[1] ?? '');
    case 'unix-seconds':
      return unixSeconds(t);
    case 'wmi-date':
      return parseWmiDate(t);
    case 'none':
      return undefined;
  }
}

function compactDate(t: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?$/.exec(t);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map((x) => Number(x ?? 0));
  const date = new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s));
  return date.getUTCMonth() === (mo ?? 1) - 1 ? date : undefined;
}

function unixSeconds(t: string): WmiDate | undefined {
  const n = /^0x[0-9a-f]+$/i.test(t) ? Number.parseInt(t, 16) : Number(t);
  if (!Number.isFinite(n) || t === '') return undefined;
  if (n === 0 || n === UNIX_NEVER) return 'never';
  return new Date(n * 1000);
}

/**
 * Vendor values as `reg query` (`Name  REG_SZ  value`) or Get-ItemProperty
 * (`Name : value`) print them, found anywhere in a recorded output.
 */
export function vendorSignaturesIn(text: string): VendorSignature[] {
  return VENDOR_SIGNATURE_SOURCES.flatMap((source) => {
    if (!source.valueName || source.product === 'defender') return [];
    const name = source.valueName.replace(/[.*+?^${}()|[\]\\/@]/g, '\\$&');
    const line = new RegExp(
      `^\\s*${name}\\s+(?:REG_\\w+\\s+|:\\s*)(.+?)\\s*$`,
      'im',
    ).exec(text);
    if (!line?.[1]) return [];

    const updatedAt = parseVendorTimestamp(source.format, line[1]);
    if (!updatedAt) return [];
    return [{ product: source.product, updatedAt, source: source.location }];
  });
}
