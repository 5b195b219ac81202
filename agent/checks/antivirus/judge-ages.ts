import type { Finding } from '../../../core/index.js';
import { findingFor } from '../../../core/judgement.js';
import type { Age, ProductKey } from './types.js';

export const avJudgeDefaults = {
  /** Signatures older than this are a warning, days. @default 3 */
  maxSignatureAgeDays: 3,
  /** Signatures older than this are critical, days. @default 7 */
  criticalSignatureAgeDays: 7,
  /** Last quick scan older than this is overdue, days. @default 14 */
  maxQuickScanAgeDays: 14,
  /** Last full scan older than this is overdue, days. @default 45 */
  maxFullScanAgeDays: 45,
  /** Defender platform releases older than this are stale, days. @default 365 */
  maxPlatformAgeDays: 365,
  /** XProtect ships roughly every two weeks; older than this, days. @default 60 */
  maxXProtectAgeDays: 60,
};

export type AvJudgePolicy = typeof avJudgeDefaults;

/**
 * The signature-age findings of one product. `never` comes only from a
 * sentinel of an engine that should be active; an unknown age yields
 * nothing here (the caller decides whether that makes the verdict unknown).
 */
export function signatureFindings(
  subject: string,
  productKey: ProductKey,
  age: Age | undefined,
  policy: AvJudgePolicy,
  detail: Record<string, unknown> = {},
  limits = {
    maxDays: policy.maxSignatureAgeDays,
    criticalDays: policy.criticalSignatureAgeDays,
  },
): Finding[] {
  const { maxDays, criticalDays } = limits;
  const base = { ...detail, product: productKey };

  if (age === 'never') {
    return [
      findingFor('av.definitions-never-updated', subject, { detail: base }),
    ];
  }
  if (age === undefined || age <= maxDays) return [];

  return [
    findingFor('av.definitions-stale', subject, {
      severity: age > criticalDays ? 'critical' : 'warning',
      title: `Antivirus definitions are ${age} days old (policy ${maxDays})`,
      detail: { ...base, ageDays: age },
    }),
  ];
}
