import { smartChainFor } from '../../core/catalogue/smart-chains.js';
import { catalogueEntry, type Finding } from '../../core/index.js';
import type { DiagnoseKind } from './detect-kind.js';

export interface RemedyPlan {
  /** The finding code the chain answers. */
  code: string;
  /** Which product's chain of the catalogue entry applies. */
  product: string;
  /** Ordered: the next attempt escalates to the next step. */
  steps: { remedy: string; params: Record<string, unknown> }[];
}

/** The chain a kind uses when the finding names no product. */
const KIND_PRODUCT: Partial<Record<DiagnoseKind, string>> = {
  'windows-update': 'windows-update',
};

/**
 * The catalogue's remedy chain for each finding, root cause first. A
 * finding that names its product (`detail.product`) gets that product's
 * chain; otherwise the kind's, then `any`. A SMART chain is fitted to the
 * drive's other findings (`smartChainFor`).
 */
export function remediesFor(
  findings: readonly Finding[],
  kind: DiagnoseKind,
): RemedyPlan[] {
  const plans: RemedyPlan[] = [];

  for (const finding of findings) {
    const chains = catalogueEntry(finding.code)?.remedies ?? {};
    const named = finding.detail?.product;
    const product = [named, KIND_PRODUCT[kind], 'any'].find(
      (p): p is string => typeof p === 'string' && (chains[p]?.length ?? 0) > 0,
    );
    if (!product) continue;
    if (plans.some((p) => p.code === finding.code && p.product === product)) {
      continue;
    }
    const steps = smartChainFor(finding, chains[product] ?? [], findings);
    plans.push({ code: finding.code, product, steps });
  }
  return plans;
}
