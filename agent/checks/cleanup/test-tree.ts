import { spawn } from 'node:child_process';
import { lutimes, mkdir, utimes, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  DEFAULT_POLICY,
  type Policy,
  policySection,
} from '../../../core/index.js';
import { silentLogger } from '../../logger.js';
import { runCommand } from '../../platform/command.js';
import type { CheckContext } from '../types.js';

/** Test helpers: real files with their times set back. */
export const DAY_S = 86_400;

export async function writeAged(path: string, bytes: number, ageDays = 0) {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, Buffer.alloc(bytes, 0x61));
  await age(path, ageDays);
}

/** Sets both times back; `lutimes` so that a link's own times change. */
export async function age(path: string, days: number, accessDays = days) {
  const now = Date.now() / 1000;
  await lutimes(path, now - accessDays * DAY_S, now - days * DAY_S);
}

export async function ageFolder(path: string, days: number) {
  const t = Date.now() / 1000 - days * DAY_S;
  await utimes(path, t, t);
}

/**
 * A separate process that holds `path` open until killed, resolved once the
 * file is open. Register `kill` as cleanup.
 */
export async function holdOpen(path: string) {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `require('node:fs').openSync(${JSON.stringify(path)}, 'r');` +
        "process.stdout.write('open\\n'); setInterval(() => {}, 1000);",
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
  });
  return child;
}

export function cleanupContext(cleanup: Partial<Policy['cleanup']>) {
  const policy: Policy = {
    ...DEFAULT_POLICY,
    cleanup: { ...policySection(DEFAULT_POLICY, 'cleanup'), ...cleanup },
  };
  const ctx: CheckContext = {
    now: () => new Date(),
    policy,
    platform: process.platform,
    run: runCommand,
    logger: silentLogger,
    trigger: 'on-demand',
  };
  return ctx;
}
