import { isoTime } from '../../../core/iso-time.js';
import type { SecurityProduct } from '../types.js';
import type {
  AvSnapshot,
  DefenderStatus,
  SecurityCenterProduct,
} from './types.js';

/** SecurityCenter2 entries kept in a report (a 5 KB budget). */
const MAX_PRODUCTS = 8;

const DEFENDER_NAME = 'Microsoft Defender Antivirus';

/**
 * The report data of a Windows antivirus run: who is registered, in what
 * state, and Defender's own figures. Compact on purpose: the findings
 * carry the judgement, this is what a technician reads beside them.
 */
export function windowsAvData(snapshot: AvSnapshot, defenderError?: string) {
  const sc = snapshot.securityCenter;
  return {
    product: 'windows',
    securityCenter: sc ? (sc.available ? 'present' : 'missing') : 'unknown',
    products: sc?.available
      ? sc.products.slice(0, MAX_PRODUCTS).map(productView)
      : [],
    defender: snapshot.defender ? defenderView(snapshot.defender) : null,
    ...(defenderError ? { defenderError } : {}),
    vendorSignatures: (snapshot.vendorSignatures ?? []).map((v) => ({
      product: v.product,
      updatedAt: v.updatedAt === 'never' ? 'never' : isoTime(v.updatedAt),
    })),
    securityProducts: securityProductsOf(snapshot),
  };
}

function productView(p: SecurityCenterProduct) {
  return {
    name: p.displayName,
    productState: p.state.hex,
    scannerOn: p.state.scannerOn,
    signaturesOutOfDate: p.state.signaturesOutOfDate,
    ...(p.installed === undefined ? {} : { installed: p.installed }),
  };
}

function defenderView(d: DefenderStatus) {
  return {
    mode: d.mode,
    engineVersion: d.engineVersion ?? null,
    productVersion: d.productVersion ?? null,
    signatureAgeDays: d.antivirusSignatureAge ?? null,
    realTimeEnabled: d.realTimeEnabled ?? null,
  };
}

/**
 * The products the hello names: every installed SecurityCenter2 entry,
 * and Defender where SecurityCenter2 is absent (servers) but Defender runs.
 */
export function securityProductsOf(snapshot: AvSnapshot): SecurityProduct[] {
  const sc = snapshot.securityCenter;
  const names = new Set<string>();
  if (sc?.available) {
    for (const p of sc.products) {
      if (p.installed !== false) names.add(p.displayName);
    }
  }
  const mode = snapshot.defender?.mode;
  const defenderRuns = mode !== undefined && mode !== 'not-running';
  if (!sc?.available && defenderRuns && mode !== 'unknown') {
    names.add(DEFENDER_NAME);
  }
  return [...names].map((name) => ({ name, kind: 'antivirus' as const }));
}
