/**
 * Finds Windows error codes in any of the forms logs and tools print them
 * and normalises them to an HRESULT (`0x` plus 8 upper-case hex digits).
 * Numbers are language-neutral; only the few text signals at the end
 * depend on English wording.
 */
export type HitForm =
  | 'hex'
  | 'legacy-hr'
  | 'win32'
  | 'decimal'
  | 'status-name'
  | 'text';

export interface HresultHit {
  hresult: string;
  /** Zero-based line index in the text. */
  line: number;
  text: string;
  form: HitForm;
  /** Why the hit is noise, when it is. */
  ignored?: string;
}

/** Win32 error names CBS prints inside HRESULT_FROM_WIN32(...). */
const WIN32_NAMES: Record<string, number> = {
  ERROR_FILE_NOT_FOUND: 2,
  ERROR_PATH_NOT_FOUND: 3,
  ERROR_ACCESS_DENIED: 5,
  ERROR_INVALID_DATA: 13,
  ERROR_DISK_FULL: 112,
  ERROR_SERVICE_DISABLED: 1058,
  ERROR_SERVICE_DOES_NOT_EXIST: 1060,
  ERROR_TIMEOUT: 1460,
  ERROR_INSTALL_FAILURE: 1603,
  ERROR_SXS_COMPONENT_STORE_CORRUPT: 14098,
};

/** NTSTATUS names whose HRESULT twin the catalogue knows. */
const STATUS_NAMES: Record<string, string> = {
  STATUS_SXS_COMPONENT_STORE_CORRUPT: '0x80073712',
};

export function hresultOfWin32(code: number): string | undefined {
  if (!Number.isInteger(code) || code <= 0 || code > 0xffff) return undefined;
  return `0x8007${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

export function normalizeHresult(value: number): string | undefined {
  const unsigned = value < 0 ? value + 2 ** 32 : value;
  // Failure HRESULTs have the severity bit set and facility bits below 0xC.
  if (unsigned < 0x8000_0000 || unsigned >= 0xc000_0000) return undefined;
  return `0x${unsigned.toString(16).toUpperCase().padStart(8, '0')}`;
}

interface Candidate {
  value?: string;
  form: HitForm;
  ignored?: string;
}

type Extractor = (line: string) => Candidate[];

const EXTRACTORS: Extractor[] = [
  (line) =>
    [...line.matchAll(/(gle=)?0x([0-9a-f]{8})\b/gi)].map((m) => ({
      value: normalizeHresult(Number.parseInt(m[2] ?? '', 16)),
      form: 'hex',
      ...(m[1] ? { ignored: 'GetLastError value, not a result' } : {}),
    })),
  (line) =>
    [...line.matchAll(/\bhr\s*=\s*([0-9a-f]{8})\b/gi)].map((m) => ({
      value: normalizeHresult(Number.parseInt(m[1] ?? '', 16)),
      form: 'legacy-hr',
    })),
  (line) =>
    [...line.matchAll(/HRESULT_FROM_WIN32\((\w+)\)/g)].map((m) => ({
      value: hresultOfWin32(WIN32_NAMES[m[1] ?? ''] ?? Number(m[1])),
      form: 'win32',
    })),
  (line) =>
    Object.entries(STATUS_NAMES)
      .filter(([name]) => line.includes(name))
      .map(([, value]) => ({ value, form: 'status-name' })),
  (line) => {
    if (!/error value|hresult|error code|result code/i.test(line)) return [];
    return [...line.matchAll(/(?<![\w.])(-?2\d{9})(?!\d)/g)].map((m) => ({
      value: normalizeHresult(Number(m[1])),
      form: 'decimal',
    }));
  },
  (line) => {
    // sc.exe and DISM print bare Win32 codes: `[SC] OpenService FAILED 1060:`
    // in any language, `Error: 112`, `Unmount failed: 112`.
    const m =
      /^\s*\[SC\]\s+\w+\s+.*?\b(\d{1,5})\s*:/.exec(line) ??
      /^\s*Error:\s*(\d{1,5})\s*$/.exec(line) ??
      /\bfailed:\s*(\d{1,5})\s*$/i.exec(line);
    return m ? [{ value: hresultOfWin32(Number(m[1])), form: 'win32' }] : [];
  },
];

/** English-only statements that carry a code without printing it. */
const TEXT_SIGNALS: [RegExp, string][] = [
  [
    /(cannot be started|cannot start service).*\b(wuauserv|Windows Update)\b/i,
    '0x80070422',
  ],
  [
    /\b(wuauserv|Windows Update)\b.*(cannot be started|cannot start service)/i,
    '0x80070422',
  ],
  [/requires? additional space|not enough (disk )?space/i, '0x80070070'],
  [/Some update files are missing or have problems/i, '0x80073712'],
];

/** Harmless lookups that print a failure code (WER flag queries in CBS). */
const NOISE: [RegExp, string, string][] = [
  [
    /DisableWerReporting|Not able to query .*flag/i,
    '0x80070002',
    'WER flag lookup',
  ],
];

export function findHresults(text: string): HresultHit[] {
  return text.split(/\r?\n/).flatMap((line, index) => {
    const candidates: Candidate[] = [
      ...EXTRACTORS.flatMap((extract) => extract(line)),
      ...TEXT_SIGNALS.filter(([p]) => p.test(line)).map(([, value]) => ({
        value,
        form: 'text' as const,
      })),
    ];
    // A code printed both as a result and as a GetLastError value counts.
    candidates.sort((a, b) => Number(!!a.ignored) - Number(!!b.ignored));

    const seen = new Set<string>();
    return candidates.flatMap(({ value, form, ignored }) => {
      if (!value || seen.has(value)) return [];
      seen.add(value);
      const noise = NOISE.find(([p, h]) => h === value && p.test(line));
      const reason = ignored ?? noise?.[2];
      const hit: HresultHit = {
        hresult: value,
        line: index,
        text: line.trim(),
        form,
      };
      return [reason ? { ...hit, ignored: reason } : hit];
    });
  });
}
