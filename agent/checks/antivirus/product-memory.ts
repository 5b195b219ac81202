import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { CheckStateFile } from '../state-file.js';
import type { Check, CheckResult, SecurityProduct } from '../types.js';

/** The file in the state folder with the products of the last run. */
export const SECURITY_PRODUCTS_FILE = 'security-products.json';

const productSchema = z.object({
  name: z.string().min(1).max(128),
  kind: z.enum(['antivirus', 'antispyware', 'firewall']),
});

const documentSchema = z.object({
  v: z.literal(1),
  products: z.array(productSchema).max(16),
});

/**
 * Gives an antivirus check a memory of the products it found, for the
 * hello's `securityProducts`. The list survives a restart (a file in the
 * state folder), so the first hello after a reboot names them before the
 * next antivirus run. A run that could not tell (verdict unknown, nothing
 * found) keeps the previous list.
 */
export function withProductMemory(check: Check, stateDir: string): Check {
  const file = new CheckStateFile(
    stateDir,
    SECURITY_PRODUCTS_FILE,
    documentSchema,
    () => ({ v: 1 as const, products: [] }),
  );
  let products = readAtStart(file.file);

  return {
    kind: check.kind,
    async run(ctx) {
      const result = await check.run(ctx);
      const found = productsIn(result);
      if (found) {
        products = found;
        await file.write({ v: 1, products }).catch((error: unknown) => {
          ctx.logger.warn('security products not saved', { error });
        });
      }
      return result;
    },
    securityProducts: () => [...products],
  };
}

function productsIn(result: CheckResult): SecurityProduct[] | undefined {
  const parsed = z
    .array(productSchema)
    .max(16)
    .safeParse(result.data.securityProducts);
  if (!parsed.success) return undefined;
  if (parsed.data.length === 0 && result.verdict === 'unknown') {
    return undefined;
  }
  return parsed.data;
}

/**
 * The products the last antivirus run kept in `stateDir`, for an agent
 * whose checks run in another process (child-checks.ts).
 */
export function readSecurityProducts(stateDir: string): SecurityProduct[] {
  return readAtStart(path.join(stateDir, SECURITY_PRODUCTS_FILE));
}

/**
 * Read once, synchronously, when the agent builds its checks: the hello is
 * built synchronously on every connect. The file is a few hundred bytes.
 */
function readAtStart(file: string): SecurityProduct[] {
  try {
    const parsed = documentSchema.safeParse(
      JSON.parse(readFileSync(path.resolve(file), 'utf8')),
    );
    return parsed.success ? parsed.data.products : [];
  } catch {
    return [];
  }
}
