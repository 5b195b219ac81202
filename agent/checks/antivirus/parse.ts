import { clamavDatabasesIn, xprotectInstallsIn } from './clamav.js';
import { parseWmiDate } from './dates.js';
import { defenderFromRecord, isMpStatusRecord } from './mp-status.js';
import { decodeProductState, readProductState } from './product-state.js';
import { type FieldRecord, parseRecords } from './records.js';
import type {
  AvParseResult,
  AvSnapshot,
  SecurityCenter,
  SecurityCenterProduct,
} from './types.js';
import { vendorSignaturesIn } from './vendor-signatures.js';

/**
 * Reads a recorded antivirus output into a snapshot: Get-MpComputerStatus
 * in any form, SecurityCenter2 dumps, ClamAV headers, XProtect install
 * history and vendor registry values. Never throws; output with none of
 * them is a parse failure.
 */
export function parseAntivirus(text: string): AvParseResult {
  const records = parseRecords(text);
  const snapshot: AvSnapshot = {};

  const mp = records.find(isMpStatusRecord);
  if (mp) snapshot.defender = defenderFromRecord(mp);

  const securityCenter = securityCenterIn(text, records);
  if (securityCenter) snapshot.securityCenter = securityCenter;

  const clamav = clamavDatabasesIn(text);
  if (clamav.length > 0) snapshot.clamav = clamav;

  const xprotect = xprotectInstallsIn(text);
  if (xprotect.length > 0) snapshot.xprotect = xprotect;

  const vendor = vendorSignaturesIn(text);
  if (vendor.length > 0) snapshot.vendorSignatures = vendor;

  return Object.keys(snapshot).length > 0
    ? { ok: true, snapshot }
    : { ok: false, reason: 'no antivirus status in the output' };
}

/** WBEM_E_INVALID_NAMESPACE, printed in any language as this number. */
const INVALID_NAMESPACE = /Invalid namespace|0x8004100E/i;

function securityCenterIn(
  text: string,
  records: FieldRecord[],
): SecurityCenter | undefined {
  const products = records.flatMap(productFromRecord);
  if (products.length > 0) return { available: true, products };

  if (/SecurityCenter2/i.test(text) && INVALID_NAMESPACE.test(text)) {
    return { available: false };
  }
  return undefined;
}

function productFromRecord(record: FieldRecord): SecurityCenterProduct[] {
  const raw = readProductState(record.productstate);
  if (raw === undefined) return [];

  const timestamp = parseWmiDate(record.timestamp);
  const installed = installedFlag(record.installed);
  return [
    {
      displayName: record.displayname?.trim() || 'unnamed product',
      state: decodeProductState(raw),
      ...(record.pathtosignedproductexe
        ? { productPath: record.pathtosignedproductexe }
        : {}),
      ...(record.pathtosignedreportingexe
        ? { reportingPath: record.pathtosignedreportingexe }
        : {}),
      ...(timestamp instanceof Date ? { timestamp } : {}),
      ...(installed === undefined ? {} : { installed }),
    },
  ];
}

/** The agent's own `installed` column (does the product's exe exist?). */
function installedFlag(text: string | undefined): boolean | undefined {
  const t = (text ?? '').trim().toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  return undefined;
}
