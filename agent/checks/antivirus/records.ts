/**
 * Reads the object dumps Windows tools print into plain records: PowerShell
 * lists (`Key : Value`), wmic `/format:list` (`Key=Value`), `Format-Table`
 * tables and `ConvertTo-Json` output. Keys are lower-cased; values are the
 * printed strings. Never throws: unknown lines are skipped.
 */
export type FieldRecord = Record<string, string>;

export function parseRecords(text: string): FieldRecord[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const fromJson = jsonRecords(trimmed);
    if (fromJson) return fromJson;
  }

  const lines = text.split(/\r?\n/);
  return [...tableRecords(lines), ...listRecords(lines)];
}

function jsonRecords(text: string): FieldRecord[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }

  const items = Array.isArray(value) ? value : [value];
  return items.flatMap((item) => {
    if (item === null || typeof item !== 'object') return [];
    const record: FieldRecord = {};
    for (const [key, v] of Object.entries(item as Record<string, unknown>)) {
      const printed = printJson(v);
      if (printed !== undefined) record[key.toLowerCase()] = printed;
    }
    return [record];
  });
}

function printJson(value: unknown): string | undefined {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number' || typeof value === 'string') {
    return String(value);
  }
  return undefined;
}

const KEY_VALUE = /^([A-Za-z_][\w.]*)\s*[:=]\s?(.*)$/;

/** `Key : Value` or `Key=Value` blocks, one record per blank-line block. */
function listRecords(lines: string[]): FieldRecord[] {
  const records: FieldRecord[] = [];
  let current: FieldRecord = {};
  let lastKey: string | undefined;

  const close = () => {
    if (Object.keys(current).length > 0) records.push(current);
    current = {};
    lastKey = undefined;
  };

  for (const line of lines) {
    if (line.trim() === '') {
      close();
      continue;
    }
    const match = KEY_VALUE.exec(line);
    if (match?.[1]) {
      lastKey = match[1].toLowerCase();
      current[lastKey] = (match[2] ?? '').trim();
    } else if (lastKey && /^\s{2,}\S/.test(line)) {
      // PowerShell wraps long values onto indented continuation lines.
      current[lastKey] = `${current[lastKey]} ${line.trim()}`.trim();
    }
  }
  close();
  return records;
}

const DASHES = /^\s*-{2,}(?:\s+-{2,})*\s*$/;

/** `Format-Table` output: a header, a dash row, then one row per object. */
function tableRecords(lines: string[]): FieldRecord[] {
  const records: FieldRecord[] = [];

  lines.forEach((line, i) => {
    const header = lines[i - 1];
    if (!DASHES.test(line) || !header?.trim()) return;

    const columns = columnSpans(line);
    for (const row of lines.slice(i + 1)) {
      if (row.trim() === '' || DASHES.test(row)) break;
      records.push(tableRow(header, row, columns));
    }
  });
  return records;
}

function columnSpans(dashes: string): [number, number][] {
  const starts = [...dashes.matchAll(/-+/g)].map((m) => m.index ?? 0);
  return starts.map((start, i) => [start, starts[i + 1] ?? Number.MAX_VALUE]);
}

function tableRow(
  header: string,
  row: string,
  columns: [number, number][],
): FieldRecord {
  const record: FieldRecord = {};
  for (const [start, end] of columns) {
    const key = header.slice(start, end).trim().toLowerCase();
    if (key) record[key] = row.slice(start, end).trim();
  }
  return record;
}
