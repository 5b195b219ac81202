import { rawCount } from './json-fields.js';
import type { AtaAttribute, SelfTestEntry } from './types.js';

/**
 * An integer as smartctl prints it in any locale: `3,441`, `512.110.190.592`,
 * `100%`, `62 Celsius`, or hex `0x10`. Undefined when there is no number.
 */
export function looseInt(text: string): number | undefined {
  const hex = /^\s*0x([0-9a-f]+)/i.exec(text);
  if (hex?.[1]) return Number.parseInt(hex[1], 16);

  const digits = /\d[\d,.']*/.exec(text)?.[0];
  if (!digits) return undefined;
  return Number(digits.replace(/[,.']/g, ''));
}

/** `ID# NAME`, then VALUE WORST THRESH (THRESH may be `---`). */
const ROW_START = String.raw`^\s*(\d{1,3})\s+(\S+)\s+`;
const NUMBERS = String.raw`(\d{1,3})\s+(\d{1,3})\s+(\d{1,3}|---)\s+`;
const FULL_ROW = new RegExp(
  `${ROW_START}0x[0-9a-f]{4}\\s+${NUMBERS}(Pre-fail|Old_age)\\s+` +
    String.raw`(?:Always|Offline)\s+(\S+)\s+(.*)$`,
  'i',
);
const BRIEF_ROW = new RegExp(
  `${ROW_START}([PO-][O-][S-][R-][C-][K-]\\+?)\\s+${NUMBERS}` +
    String.raw`(\S+)\s+(.*)$`,
);

/** One row of the ATA attribute table, full (`-A`) or brief (`-f brief`). */
export function ataAttributeRow(line: string): AtaAttribute | undefined {
  const full = FULL_ROW.exec(line);
  if (full) {
    const [, id, name, value, worst, thresh, type, failed, raw] = full;
    return attribute(
      { id, name, value, worst, thresh, failed, raw },
      /pre-fail/i.test(type ?? ''),
    );
  }

  const brief = BRIEF_ROW.exec(line);
  if (brief) {
    const [, id, name, flags, value, worst, thresh, failed, raw] = brief;
    return attribute(
      { id, name, value, worst, thresh, failed, raw },
      (flags ?? '').startsWith('P'),
    );
  }
  return undefined;
}

type RowFields = Record<
  'id' | 'name' | 'value' | 'worst' | 'thresh' | 'failed' | 'raw',
  string | undefined
>;

function attribute(row: RowFields, prefailure: boolean): AtaAttribute {
  const rawText = (row.raw ?? '').trim();

  return {
    id: Number(row.id),
    name: row.name ?? '',
    value: Number(row.value),
    worst: Number(row.worst),
    thresh: row.thresh === '---' ? undefined : Number(row.thresh),
    whenFailed: whenFailed(row.failed ?? '-'),
    prefailure,
    count: rawCount(undefined, rawText),
    rawText,
  };
}

function whenFailed(text: string): string {
  if (/now/i.test(text)) return 'now';
  if (/past/i.test(text)) return 'past';
  return '';
}

const ATA_TEST =
  /^#\s*(\d+)\s+(\S+(?: \S+)*)\s{2,}(\S.*?)\s{2,}(\d{1,3})%\s+(\d+)\s+(\S+)/;

/** `# 3  Extended offline    Completed: read failure    90%   4   104870168` */
export function ataSelfTestRow(line: string): SelfTestEntry | undefined {
  const m = ATA_TEST.exec(line);
  if (!m) return undefined;

  const lba = m[6] === '-' ? undefined : looseInt(m[6] ?? '');
  return {
    type: m[2] ?? 'unknown',
    status: (m[3] ?? '').trim(),
    lifetimeHours: Number(m[5]),
    ...(lba !== undefined ? { lba } : {}),
  };
}

const NVME_TEST = new RegExp(
  String.raw`^\s*(\d+)\s+(Short|Extended|Vendor specific|Unknown\S*)\s{2,}` +
    String.raw`(\S.*?)\s{2,}(\d[\d,.]*|-)\s+(\S+)`,
  'i',
);

/** ` 0   Extended   Completed without error   3441   -  -  -  -` */
export function nvmeSelfTestRow(line: string): SelfTestEntry | undefined {
  const m = NVME_TEST.exec(line);
  if (!m) return undefined;

  const hours = m[4] === '-' ? undefined : looseInt(m[4] ?? '');
  const lba = m[5] === '-' ? undefined : looseInt(m[5] ?? '');
  return {
    type: m[2] ?? 'unknown',
    status: (m[3] ?? '').trim(),
    ...(hours !== undefined ? { lifetimeHours: hours } : {}),
    ...(lba !== undefined ? { lba } : {}),
  };
}
