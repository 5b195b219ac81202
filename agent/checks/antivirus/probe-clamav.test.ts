import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, findingSchema } from '../../../core/index.js';
import { silentLogger } from '../../logger.js';
import { runCommand } from '../../platform/command.js';
import type { CheckContext } from '../types.js';
import { createClamavCheck } from './probe-clamav.js';

const root = mkdtempSync(join(tmpdir(), 'upkeep-clamav-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const now = new Date('2024-06-05T00:00:00Z');
const ctx: CheckContext = {
  now: () => now,
  policy: DEFAULT_POLICY,
  platform: 'linux',
  run: runCommand,
  logger: silentLogger,
  trigger: 'schedule',
};

/** A database file: the 512-byte header freshclam writes, then a body. */
function database(dir: string, name: string, builtAt: Date, version = 27300) {
  const epoch = Math.floor(builtAt.getTime() / 1000);
  const header =
    `ClamAV-VDB:05 Jun 2024 07-20 +0000:${version}:2060000:90:` +
    `0123456789abcdef0123456789abcdef:signature:builder:${epoch}`;
  const body = Buffer.alloc(2048, 0x1f);
  writeFileSync(
    join(dir, name),
    Buffer.concat([Buffer.from(header.padEnd(512)), body]),
  );
}

function folder(name: string) {
  const dir = join(root, name);
  mkdirSync(dir);
  return dir;
}

describe('createClamavCheck', () => {
  it('accepts databases built within the policy', async () => {
    const dir = folder('fresh');
    database(dir, 'daily.cld', new Date('2024-06-04T07:20:00Z'));
    database(dir, 'main.cvd', new Date('2023-09-19T08:00:00Z'), 62);

    const result = await createClamavCheck({ databaseDir: dir }).run(ctx);

    expect(result.verdict).toBe('ok');
    expect(result.data).toMatchObject({
      databases: expect.arrayContaining([
        { name: 'daily', version: 27300, builtAt: '2024-06-04T07:20:00.000Z' },
      ]),
    });
  });

  it('finds old definitions from the header, whatever the file dates say', async () => {
    const dir = folder('stale');
    database(dir, 'daily.cvd', new Date('2024-05-20T07:20:00Z'));

    const result = await createClamavCheck({ databaseDir: dir }).run(ctx);

    expect(result.findings).toMatchObject([
      {
        code: 'av.definitions-stale',
        severity: 'critical',
        detail: { ageDays: 15 },
      },
    ]);
    for (const f of result.findings) findingSchema.parse(f);
  });

  it('reports ClamAV missing when there is no database', async () => {
    const empty = await createClamavCheck({ databaseDir: folder('empty') }).run(
      ctx,
    );
    const absent = await createClamavCheck({
      databaseDir: join(root, 'absent'),
    }).run(ctx);

    expect(empty.findings.map((f) => f.code)).toEqual(['av.product-missing']);
    expect(absent.verdict).toBe('critical');
  });

  it('is unknown when no header can be read', async () => {
    const dir = folder('garbage');
    writeFileSync(join(dir, 'daily.cld'), 'not a database');

    const result = await createClamavCheck({ databaseDir: dir }).run(ctx);

    expect(result).toMatchObject({
      verdict: 'unknown',
      findings: [{ code: 'agent.output-unparsed' }],
    });
  });
});
