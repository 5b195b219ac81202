import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Finding } from '../../../core/index.js';
import { isoTime } from '../../../core/iso-time.js';
import { findingFor, judgementOf } from '../../../core/judgement.js';
import type { Check, CheckContext, CheckResult } from '../types.js';
import { parseCvdHeader } from './clamav.js';
import { judgeAntivirus } from './judge.js';
import type { ClamavDatabase } from './types.js';

export const clamavProbeDefaults = {
  /** Where freshclam keeps the databases. @default '/var/lib/clamav' */
  databaseDir: '/var/lib/clamav',
  /** A CVD/CLD header is the first 512 bytes of the file. @default 512 */
  headerBytes: 512,
  /** Limit for reading every header, ms. @default 10_000 */
  timeoutMs: 10_000,
};

export type ClamavCheckOptions = Partial<typeof clamavProbeDefaults>;

/**
 * The Linux antivirus check: ClamAV's database age from the CVD/CLD
 * headers. No database at all means no ClamAV: `av.product-missing`.
 */
export function createClamavCheck(options: ClamavCheckOptions = {}): Check {
  const config = { ...clamavProbeDefaults, ...options };

  return {
    kind: 'antivirus',
    async run(ctx) {
      let read: Awaited<ReturnType<typeof readHeaders>>;
      try {
        read = await withTimeout(readHeaders(config), config.timeoutMs);
      } catch {
        return gap(
          findingFor('agent.probe-timeout', config.databaseDir, {
            severity: 'info',
            detail: { timeoutMs: config.timeoutMs },
          }),
        );
      }
      return judgeDatabases(ctx, config, read);
    },
  };
}

interface Headers {
  databases: ClamavDatabase[];
  unreadable: string[];
}

async function readHeaders(
  config: typeof clamavProbeDefaults,
): Promise<Headers> {
  const names = await readdir(config.databaseDir).catch(() => [] as string[]);
  const files = names.filter((n) => /\.c[lv]d$/i.test(n));

  const databases: ClamavDatabase[] = [];
  const unreadable: string[] = [];
  for (const file of files) {
    const header = await readStart(
      join(config.databaseDir, file),
      config.headerBytes,
    );
    const db = header
      ? parseCvdHeader(header, file.replace(/\.c[lv]d$/i, ''))
      : undefined;
    if (db?.builtAt) databases.push(db);
    else unreadable.push(file);
  }
  return { databases, unreadable };
}

async function readStart(
  path: string,
  bytes: number,
): Promise<string | undefined> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead).toString('latin1');
  } finally {
    await handle.close();
  }
}

function judgeDatabases(
  ctx: CheckContext,
  config: typeof clamavProbeDefaults,
  { databases, unreadable }: Headers,
): CheckResult {
  const data = {
    product: 'clamav',
    databaseDir: config.databaseDir,
    databases: databases.map((d) => ({
      name: d.name,
      version: d.version,
      builtAt: d.builtAt && isoTime(d.builtAt),
    })),
    ...(unreadable.length > 0 ? { unreadable } : {}),
    securityProducts:
      databases.length > 0 ? [{ name: 'ClamAV', kind: 'antivirus' }] : [],
  };

  if (databases.length === 0 && unreadable.length === 0) {
    const missing = findingFor('av.product-missing', 'ClamAV', {
      title: 'No ClamAV database found',
      detail: { product: 'clamav', databaseDir: config.databaseDir },
    });
    return { ...judgementOf([missing]), data };
  }
  if (databases.length === 0) {
    return { ...gap(unparsed(unreadable)), data };
  }

  const judged = judgeAntivirus({ clamav: databases }, { now: ctx.now() });
  const extra = unreadable.length > 0 ? [unparsed(unreadable)] : [];
  return {
    verdict: judged.verdict,
    findings: [...judged.findings, ...extra],
    data,
  };
}

function unparsed(files: string[]): Finding {
  return findingFor('agent.output-unparsed', 'ClamAV databases', {
    severity: 'info',
    detail: { reason: 'no ClamAV-VDB header', files },
  });
}

function gap(finding: Finding): CheckResult {
  return { ...judgementOf([finding], 'unknown'), data: {} };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}
