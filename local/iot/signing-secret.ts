import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The local deployment's job-signing secret: 32 random bytes as hex, made on
 * the first start and kept in the state folder (readable by this user
 * only), so that agents keep trusting jobs across restarts. In AWS the same
 * string lives in Secrets Manager (infra/lib/remedies.ts).
 */
export function loadOrCreateSigningSecret(
  dir: string,
  fileName = 'job-signing-secret',
): string {
  const path = join(dir, fileName);
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('hex');
  // `wx`: two starts racing on a new folder cannot both write one.
  writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}
