import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createSqsStandIn, type SqsStandInOptions } from './index.js';

/** Test support: a stand-in plus a real SDK client aimed at it. */
export async function startSqs(
  cleanups: (() => unknown)[],
  options: SqsStandInOptions = {},
) {
  const standIn = await createSqsStandIn(options);
  const client = new SQSClient({
    endpoint: standIn.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  cleanups.push(async () => {
    client.destroy();
    await standIn.close();
  });
  return { standIn, client };
}

export function tempDir(cleanups: (() => unknown)[], prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Polls `check` every 20 ms until it returns a value, or fails. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
