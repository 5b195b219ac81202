import { defenderFromRecord, isMpStatusRecord } from './mp-status.js';
import { parseAntivirus } from './parse.js';
import { type FieldRecord, parseRecords } from './records.js';
import type {
  DefenderStatus,
  SecurityCenter,
  VendorSignature,
} from './types.js';
import {
  parseVendorTimestamp,
  VENDOR_SIGNATURE_SOURCES,
} from './vendor-signatures.js';

/**
 * Pure readers of the Windows antivirus probe's outputs. Each accepts the
 * JSON the agent's scripts print and the list or wmic forms a technician
 * pastes, so recorded cases run through the same code.
 */
export type Read<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * WBEM_E_INVALID_NAMESPACE: Windows Server has no SecurityCenter2. Printed
 * as text, as the hex HRESULT in the error id, or as the CIM status name.
 */
const INVALID_NAMESPACE = /Invalid namespace|0x8004100E|InvalidNamespace/i;

export function readDefender(text: string): Read<DefenderStatus> {
  const records = parseRecords(text);
  const mp = records.find(isMpStatusRecord);
  if (mp) return { ok: true, value: defenderFromRecord(mp) };
  return { ok: false, error: errorIn(records) ?? 'no MpComputerStatus' };
}

export function readSecurityCenter(text: string): Read<SecurityCenter> {
  if (INVALID_NAMESPACE.test(text)) {
    return { ok: true, value: { available: false } };
  }
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === '[]') {
    return { ok: true, value: { available: true, products: [] } };
  }

  const error = errorIn(parseRecords(text));
  if (error) return { ok: false, error };
  const parsed = parseAntivirus(text);
  const sc = parsed.ok ? parsed.snapshot.securityCenter : undefined;
  return sc
    ? { ok: true, value: sc }
    : { ok: false, error: 'no AntiVirusProduct instance in the output' };
}

/**
 * The vendor script's `[{Product, Value}]`. Several values of one product
 * (Kaspersky keeps one per installed product) give the newest.
 */
export function readVendorSignatures(text: string): VendorSignature[] {
  const newest = new Map<string, VendorSignature>();
  for (const record of parseRecords(text)) {
    const source = VENDOR_SIGNATURE_SOURCES.find(
      (s) => s.product === record.product,
    );
    if (!source || record.value === undefined) continue;

    const updatedAt = parseVendorTimestamp(source.format, record.value);
    if (!updatedAt) continue;
    const found = {
      product: source.product,
      updatedAt,
      source: source.location,
    };
    const seen = newest.get(source.product);
    if (!seen || newer(found, seen)) newest.set(source.product, found);
  }
  return [...newest.values()];
}

function newer(a: VendorSignature, b: VendorSignature) {
  if (a.updatedAt === 'never') return false;
  return b.updatedAt === 'never' || a.updatedAt > b.updatedAt;
}

function errorIn(records: FieldRecord[]): string | undefined {
  const record = records.find((r) => r.error !== undefined);
  if (!record) return undefined;
  return [record.error, record.errorid].filter(Boolean).join(' ') || 'error';
}
