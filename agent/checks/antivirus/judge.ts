import type { Finding } from '../../../core/index.js';
import {
  bySeverity,
  findingFor,
  type Judgement,
  judgementOf,
} from '../../../core/judgement.js';
import { daysBetween } from './dates.js';
import {
  type AvJudgePolicy,
  avJudgeDefaults,
  signatureFindings,
} from './judge-ages.js';
import { judgeDefender } from './judge-defender.js';
import type {
  AvSnapshot,
  SecurityCenterProduct,
  VendorSignature,
} from './types.js';
import { productKey } from './vendor-signatures.js';

export interface AvJudgeOptions {
  /** The clock, passed in: the judge does no I/O. */
  now: Date;
  policy?: Partial<AvJudgePolicy>;
}

/**
 * Judges what a device's antivirus reports. Who protects comes first
 * (SecurityCenter2 scanner bits, Defender's running mode, ClamAV or
 * XProtect present); only the active products are judged on their ages.
 */
export function judgeAntivirus(
  snapshot: AvSnapshot,
  options: AvJudgeOptions,
): Judgement {
  const policy = { ...avJudgeDefaults, ...options.policy };
  const { now } = options;
  const sc = snapshot.securityCenter;
  const registered = sc?.available ? usableProducts(sc.products) : [];
  const active = registered.filter((p) => p.state.scannerOn);
  const thirdPartyActive = active.some((p) => !p.state.microsoftProduct);

  const findings: Finding[] = [
    ...active.flatMap((p) =>
      productFindings(p, snapshot.vendorSignatures, now, policy),
    ),
    ...conflictFindings(snapshot, active),
    ...(snapshot.defender
      ? judgeDefender(snapshot.defender, {
          thirdPartyActive,
          securityCenter: sc
            ? sc.available
              ? 'present'
              : 'missing'
            : 'absent',
          now,
          policy,
        })
      : []),
    ...unmatchedVendorFindings(snapshot, active, now, policy),
    ...linuxAndMacFindings(snapshot, now, policy),
  ];

  const coverage = coverageFindings(snapshot, registered, active);
  return judgementOf(
    bySeverity([...findings, ...coverage.findings]),
    coverage.base,
  );
}

/**
 * Drops entries of products the agent found uninstalled, and duplicates of
 * one display name (a reinstall leaves the old entry): the newest counts.
 */
function usableProducts(products: SecurityCenterProduct[]) {
  const newest = new Map<string, SecurityCenterProduct>();
  for (const p of products.filter((q) => q.installed !== false)) {
    const seen = newest.get(p.displayName);
    if (!seen || newerEntry(p, seen)) newest.set(p.displayName, p);
  }
  return [...newest.values()];
}

function newerEntry(a: SecurityCenterProduct, b: SecurityCenterProduct) {
  if (a.timestamp && b.timestamp) return a.timestamp > b.timestamp;
  return a.state.scannerOn && !b.state.scannerOn;
}

/**
 * An active product's signatures: the vendor's own timestamp wins where
 * the agent could read it; otherwise SecurityCenter2's out-of-date bit.
 */
function productFindings(
  p: SecurityCenterProduct,
  vendor: VendorSignature[] | undefined,
  now: Date,
  policy: AvJudgePolicy,
): Finding[] {
  const key = productKey(p.displayName);
  const own =
    key === 'any' ? undefined : vendor?.find((v) => v.product === key);
  const detail = { productState: p.state.hex };

  if (own) {
    const age =
      own.updatedAt === 'never' ? 'never' : daysBetween(own.updatedAt, now);
    return signatureFindings(p.displayName, key, age, policy, {
      ...detail,
      source: own.source,
    });
  }
  if (!p.state.signaturesOutOfDate) return [];
  return [
    findingFor('av.definitions-stale', p.displayName, {
      severity: 'warning',
      title: `${p.displayName} reports its definitions out of date`,
      detail: {
        ...detail,
        product: key,
        source: 'SecurityCenter2 productState',
      },
    }),
  ];
}

function conflictFindings(
  snapshot: AvSnapshot,
  active: SecurityCenterProduct[],
): Finding[] {
  const names = active.map((p) => p.displayName);
  const defenderNormal = snapshot.defender?.mode === 'normal';
  if (defenderNormal && !active.some((p) => p.state.microsoftProduct)) {
    if (active.length > 0) names.push('Microsoft Defender Antivirus');
  }
  if (names.length < 2) return [];

  return [
    findingFor('av.multiple-active', names.join(' + '), {
      detail: { products: names },
    }),
  ];
}

/** Vendor timestamps with no SecurityCenter2 entry (servers, for one). */
function unmatchedVendorFindings(
  snapshot: AvSnapshot,
  active: SecurityCenterProduct[],
  now: Date,
  policy: AvJudgePolicy,
): Finding[] {
  const covered = new Set(active.map((p) => productKey(p.displayName)));
  return (snapshot.vendorSignatures ?? [])
    .filter((v) => !covered.has(v.product))
    .flatMap((v) =>
      signatureFindings(
        v.product,
        v.product,
        v.updatedAt === 'never' ? 'never' : daysBetween(v.updatedAt, now),
        policy,
        { source: v.source },
      ),
    );
}

function linuxAndMacFindings(
  snapshot: AvSnapshot,
  now: Date,
  policy: AvJudgePolicy,
): Finding[] {
  const findings: Finding[] = [];

  const clam = newest(
    (snapshot.clamav ?? []).filter((d) => d.name !== 'bytecode'),
    (d) => d.builtAt,
  );
  if (clam?.builtAt) {
    const age = daysBetween(clam.builtAt, now);
    findings.push(
      ...signatureFindings('ClamAV', 'clamav', age, policy, {
        database: clam.name,
        version: clam.version,
      }),
    );
  }

  const xp = newest(snapshot.xprotect ?? [], (x) => x.installedAt);
  if (xp) {
    const max = policy.maxXProtectAgeDays;
    findings.push(
      ...signatureFindings(
        'XProtect',
        'xprotect',
        daysBetween(xp.installedAt, now),
        policy,
        { version: xp.version },
        { maxDays: max, criticalDays: max * 2 },
      ),
    );
  }
  return findings;
}

function newest<T>(items: T[], when: (item: T) => Date | undefined) {
  return items
    .filter((i) => when(i) !== undefined)
    .sort((a, b) => (when(b)?.getTime() ?? 0) - (when(a)?.getTime() ?? 0))[0];
}

/**
 * Is anything protecting the device? With SecurityCenter2 present and no
 * scanner on, nothing is. Without it (servers), a Defender that is not
 * active leaves the answer unknown, never "no antivirus".
 */
function coverageFindings(
  snapshot: AvSnapshot,
  registered: SecurityCenterProduct[],
  active: SecurityCenterProduct[],
): { findings: Finding[]; base: 'ok' | 'unknown' } {
  const sc = snapshot.securityCenter;
  const defenderActive = snapshot.defender?.mode === 'normal';
  const other =
    (snapshot.clamav?.length ?? 0) + (snapshot.xprotect?.length ?? 0);

  if (sc?.available === false) {
    const missing = findingFor(
      'av.securitycenter-missing',
      'root/SecurityCenter2',
    );
    if (defenderActive || other > 0) return { findings: [missing], base: 'ok' };
    const unconfirmed = findingFor('av.protection-unconfirmed', 'antivirus');
    return { findings: [missing, unconfirmed], base: 'unknown' };
  }
  if (!sc || active.length > 0 || defenderActive || other > 0) {
    return { findings: [], base: 'ok' };
  }
  if (registered.length === 0) {
    return {
      findings: [findingFor('av.product-missing', 'antivirus')],
      base: 'ok',
    };
  }
  const names = registered.map((p) => p.displayName);
  return {
    findings: [
      findingFor('av.no-active-protection', names.join(', '), {
        detail: {
          products: registered.map((p) => ({
            name: p.displayName,
            productState: p.state.hex,
          })),
        },
      }),
    ],
    base: 'ok',
  };
}
