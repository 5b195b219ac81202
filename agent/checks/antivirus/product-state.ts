/**
 * SecurityCenter2 `AntiVirusProduct.productState`, read as three bytes by
 * bits rather than looked up in a table of known values (Microsoft does not
 * document the field; this reading is consistent across vendors):
 *
 *   0x 06 11 00
 *      |  |  └─ signatures: bit 0x10 set = out of date
 *      |  └──── scanner: bit 0x10 set = on; bit 0x01 = Microsoft's product
 *      └─────── provider: WSC_SECURITY_PROVIDER flags (0x04 antivirus, ...)
 *
 * So Defender on reads 0x061100 (397568) and off 0x060100 (393472); tables
 * that call the scanner byte 0x01 "expired" or 0x11 "snoozed" mislabel them.
 */
export interface ProductState {
  raw: number;
  hex: string;
  /** WSC_SECURITY_PROVIDER flags named in the first byte. */
  providers: string[];
  scannerOn: boolean;
  microsoftProduct: boolean;
  signaturesOutOfDate: boolean;
  /** Bits this reading does not name, kept for the record. */
  otherBits: number;
}

const PROVIDERS: ReadonlyArray<[number, string]> = [
  [0x01, 'firewall'],
  [0x02, 'autoupdate-settings'],
  [0x04, 'antivirus'],
  [0x08, 'antispyware'],
  [0x10, 'internet-settings'],
  [0x20, 'user-account-control'],
  [0x40, 'service'],
];

const SCANNER_ON = 0x10;
const MICROSOFT = 0x01;
const OUT_OF_DATE = 0x10;

export function decodeProductState(raw: number): ProductState {
  const provider = (raw >> 16) & 0xff;
  const scanner = (raw >> 8) & 0xff;
  const signatures = raw & 0xff;

  return {
    raw,
    hex: `0x${raw.toString(16).padStart(6, '0')}`,
    providers: PROVIDERS.filter(([bit]) => provider & bit).map(([, n]) => n),
    scannerOn: (scanner & SCANNER_ON) !== 0,
    microsoftProduct: (scanner & MICROSOFT) !== 0,
    signaturesOutOfDate: (signatures & OUT_OF_DATE) !== 0,
    otherBits:
      ((scanner & ~(SCANNER_ON | MICROSOFT)) << 8) |
      (signatures & ~OUT_OF_DATE) |
      ((raw >>> 24) << 24),
  };
}

/** Reads a printed productState: decimal, or hex with a 0x prefix. */
export function readProductState(text: string | undefined) {
  const t = (text ?? '').trim();
  if (/^0x[0-9a-f]+$/i.test(t)) return Number.parseInt(t.slice(2), 16);
  if (/^\d+$/.test(t)) return Number(t);
  return undefined;
}
