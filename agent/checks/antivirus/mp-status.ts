import { parseWmiDate } from './dates.js';
import type { FieldRecord } from './records.js';
import type { Age, DefenderMode, DefenderStatus } from './types.js';

/**
 * `Get-MpComputerStatus` sentinels: 65535 in the signature ages and
 * 4294967295 in the scan ages mean "never / unknown", not an age; any age
 * at or above 65535 is read that way. Engine 0.0.0.0 means not loaded.
 */
const AGE_SENTINEL = 65_535;
const UNLOADED_VERSION = '0.0.0.0';

const MP_STATUS_KEYS = [
  'amrunningmode',
  'amengineversion',
  'antivirussignatureage',
  'amserviceenabled',
];

export function isMpStatusRecord(record: FieldRecord): boolean {
  return MP_STATUS_KEYS.some((key) => key in record);
}

export function defenderFromRecord(record: FieldRecord): DefenderStatus {
  const engine = record.amengineversion?.trim();

  return {
    mode: runningMode(record.amrunningmode),
    ...(record.amrunningmode ? { modeText: record.amrunningmode.trim() } : {}),
    serviceEnabled: bool(record.amserviceenabled),
    antivirusEnabled: bool(record.antivirusenabled),
    antispywareEnabled: bool(record.antispywareenabled),
    realTimeEnabled: bool(record.realtimeprotectionenabled),
    engineLoaded: engine ? engine !== UNLOADED_VERSION : undefined,
    engineVersion: engine || undefined,
    productVersion: record.amproductversion?.trim() || undefined,
    antivirusSignatureAge: signatureAge(
      record.antivirussignatureage,
      record.antivirussignatureversion,
    ),
    antispywareSignatureAge: signatureAge(
      record.antispywaresignatureage,
      record.antispywaresignatureversion,
    ),
    antivirusSignatureUpdated: parseWmiDate(
      record.antivirussignaturelastupdated,
    ),
    antispywareSignatureUpdated: parseWmiDate(
      record.antispywaresignaturelastupdated,
    ),
    quickScanAge: age(record.quickscanage),
    fullScanAge: age(record.fullscanage),
    signaturesOutOfDate: bool(record.defendersignaturesoutofdate),
  };
}

function runningMode(text: string | undefined): DefenderMode {
  const t = (text ?? '').trim().toLowerCase();
  if (t === '') return 'unknown';
  if (t === 'normal') return 'normal';
  if (t.startsWith('sxs')) return 'sxs-passive';
  if (t.startsWith('passive')) return 'passive';
  if (t.startsWith('edr')) return 'edr-block';
  if (t.startsWith('not running')) return 'not-running';
  return 'unknown';
}

function bool(text: string | undefined): boolean | undefined {
  const t = (text ?? '').trim().toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  return undefined;
}

function age(text: string | undefined): Age | undefined {
  const t = (text ?? '').trim();
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n >= AGE_SENTINEL ? 'never' : n;
}

/**
 * A signature age is only an age when there is a signature: Defender
 * prints 0 beside an empty version when it has none at all.
 */
function signatureAge(
  ageText: string | undefined,
  version: string | undefined,
): Age | undefined {
  const value = age(ageText);
  if (value === 0 && version !== undefined && version.trim() === '') {
    return undefined;
  }
  return value;
}
