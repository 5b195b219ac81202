import type {
  FailedInstall,
  PatchState,
  PendingUpdate,
  UpdateService,
} from './types.js';

/** Classifications that carry security fixes. */
const SECURITY_CLASSES = new Set(['security updates', 'critical updates']);

/** OperationResultCode values that are not a success. */
const FAILED_RESULTS = new Set([3, 4, 5]);

/** A signed 32-bit HRESULT as 0x plus 8 upper-case hex digits. */
export function hresultHex(value: number): string {
  return `0x${(value >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

/** PowerShell 5.1 writes a one-element array as the bare element. */
const list = (v: unknown): unknown[] =>
  Array.isArray(v) ? v : v === null || v === undefined ? [] : [v];

/**
 * Parses the script's JSON. Undefined when the text is not that JSON, so
 * the caller reports unreadable output instead of a clean machine.
 */
export function parseWindowsPatch(stdout: string): PatchState | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(stdout.trim().replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
  if (!isObject(raw) || !('Service' in raw)) return undefined;

  const state: PatchState = { source: 'windows-update' };
  // With ServiceError the service is unknown, which is not "missing".
  if (!('ServiceError' in raw)) state.service = parseService(raw.Service);
  if ('Updates' in raw) state.updates = list(raw.Updates).flatMap(toUpdate);
  if ('History' in raw) {
    state.failedInstalls = failedInstalls(raw.History);
    state.succeededInstalls = succeededInstalls(raw.History);
  }
  if (typeof raw.RebootRequired === 'boolean') {
    state.rebootPending = raw.RebootRequired;
  }
  if (isObject(raw.SearchError)) {
    const code = num(raw.SearchError.HResult);
    state.searchError = {
      message: str(raw.SearchError.Message) ?? 'search failed',
      ...(code === undefined ? {} : { hresult: hresultHex(code) }),
    };
  }
  return state;
}

function parseService(value: unknown): UpdateService {
  if (!isObject(value)) return { startMode: null, state: null };
  return {
    startMode: str(value.StartMode) ?? null,
    state: str(value.State) ?? null,
  };
}

function toUpdate(value: unknown): PendingUpdate[] {
  if (!isObject(value)) return [];
  const kb = list(value.KB).map(String).find(Boolean);
  const title = str(value.Title) ?? 'untitled update';
  const classification = str(value.Classification);
  const severity = str(value.MsrcSeverity);
  const size = num(value.MaxDownloadSize);
  const reboot = num(value.RebootBehavior);
  const released = str(value.LastDeploymentChangeTime);

  return [
    {
      id: kb ? `KB${kb}` : title.slice(0, 64),
      title,
      security:
        SECURITY_CLASSES.has((classification ?? '').toLowerCase()) ||
        severity !== undefined,
      ...(classification ? { classification } : {}),
      ...(severity ? { severity } : {}),
      ...(size === undefined ? {} : { sizeBytes: size }),
      ...(reboot === undefined ? {} : { rebootBehavior: reboot }),
      ...(released ? { releasedAt: released } : {}),
    },
  ];
}

function failedInstalls(value: unknown): FailedInstall[] {
  return list(value).flatMap((entry): FailedInstall[] => {
    if (!isObject(entry)) return [];
    const resultCode = num(entry.ResultCode) ?? 0;
    if (!FAILED_RESULTS.has(resultCode)) return [];
    const code = num(entry.HResult);
    return [
      {
        title: str(entry.Title) ?? 'untitled update',
        date: str(entry.Date) ?? '',
        resultCode,
        ...(code ? { hresult: hresultHex(code) } : {}),
      },
    ];
  });
}

/** OperationResultCode 2: Succeeded. */
function succeededInstalls(value: unknown) {
  return list(value).flatMap((entry) => {
    if (!isObject(entry) || num(entry.ResultCode) !== 2) return [];
    return [{ title: str(entry.Title) ?? '', date: str(entry.Date) ?? '' }];
  });
}
