import type { Check, SecurityProduct } from './types.js';

/** The products the checks found, for the hello (at most 16, no repeats). */
export function securityProductsOf(
  checks: readonly Check[],
): SecurityProduct[] {
  const seen = new Map<string, SecurityProduct>();
  for (const product of checks.flatMap((c) => c.securityProducts?.() ?? [])) {
    seen.set(`${product.kind}:${product.name}`, product);
  }
  return [...seen.values()].slice(0, 16);
}
