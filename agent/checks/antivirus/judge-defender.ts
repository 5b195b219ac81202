import type { Finding } from '../../../core/index.js';
import { findingFor } from '../../../core/judgement.js';
import { daysBetween } from './dates.js';
import type { AvJudgePolicy } from './judge-ages.js';
import { signatureFindings } from './judge-ages.js';
import type { Age, DefenderStatus } from './types.js';

const DEFENDER = 'Microsoft Defender Antivirus';
const product = { product: 'defender' };

/** What the rest of the snapshot says about who protects the device. */
export interface DefenderContext {
  thirdPartyActive: boolean;
  securityCenter: 'present' | 'missing' | 'absent';
  now: Date;
  policy: AvJudgePolicy;
}

/**
 * Judges Defender by its running mode first: only an active (Normal)
 * Defender is judged on its ages and toggles. A passive Defender reports
 * its toggles as True, and one that is not running prints sentinels; in
 * both cases another product carries the verdict.
 */
export function judgeDefender(d: DefenderStatus, ctx: DefenderContext) {
  if (d.mode === 'normal') return activeFindings(d, ctx);

  if (
    d.mode === 'passive' ||
    d.mode === 'sxs-passive' ||
    d.mode === 'edr-block'
  ) {
    return [
      findingFor('av.defender-passive', DEFENDER, {
        detail: { ...product, mode: d.modeText ?? d.mode },
      }),
    ];
  }
  if (ctx.securityCenter === 'present' && !ctx.thirdPartyActive) return [];

  return [
    findingFor('av.defender-inactive', DEFENDER, {
      detail: {
        ...product,
        mode: d.modeText ?? d.mode,
        engineLoaded: d.engineLoaded,
      },
    }),
  ];
}

function activeFindings(d: DefenderStatus, ctx: DefenderContext): Finding[] {
  const detail = { ...product, mode: d.modeText ?? 'Normal' };
  const toggles: [boolean, string][] = [
    [d.serviceEnabled === false, 'av.service-stopped'],
    [d.engineLoaded === false, 'av.engine-not-loaded'],
    [d.antivirusEnabled === false, 'av.protection-disabled'],
    [d.realTimeEnabled === false, 'av.realtime-disabled'],
  ];

  return [
    ...toggles
      .filter(([when]) => when)
      .map(([, code]) => findingFor(code, DEFENDER, { detail })),
    ...signatureFindings(
      DEFENDER,
      'defender',
      defenderAge(d, ctx.now),
      ctx.policy,
      {
        ...detail,
        engine: d.engineVersion,
      },
    ),
    ...platformFindings(d, ctx),
    ...scanFindings(d, ctx.policy),
  ];
}

/**
 * The older of the antivirus and antispyware signature ages; from the
 * last-updated dates when the age fields are missing (truncated output).
 */
export function defenderAge(d: DefenderStatus, now: Date): Age | undefined {
  const ages = [d.antivirusSignatureAge, d.antispywareSignatureAge].filter(
    (a): a is Age => a !== undefined,
  );
  const fromDates = [d.antivirusSignatureUpdated, d.antispywareSignatureUpdated]
    .filter((u) => u !== undefined)
    .map((u) => (u === 'never' ? 'never' : daysBetween(u, now)));

  const all = ages.length > 0 ? ages : fromDates;
  if (all.length === 0) return undefined;
  if (all.includes('never')) return 'never';
  return Math.max(...(all as number[]));
}

/**
 * The platform version encodes its release month: 4.18.YYMM.x (4.18.2104.5
 * is April 2021), or 4.18.YYMMx.y since 2023 (4.18.24090.11).
 */
export function platformReleased(version: string | undefined) {
  const m = /^4\.18\.(\d{2})(\d{2})\d?\./.exec(version ?? '');
  if (!m) return undefined;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  return new Date(Date.UTC(2000 + Number(m[1]), month - 1, 1));
}

function platformFindings(d: DefenderStatus, ctx: DefenderContext): Finding[] {
  const released = platformReleased(d.productVersion);
  if (!released) return [];

  const ageDays = daysBetween(released, ctx.now);
  if (ageDays <= ctx.policy.maxPlatformAgeDays) return [];
  return [
    findingFor('av.platform-outdated', DEFENDER, {
      detail: { ...product, platform: d.productVersion, ageDays },
    }),
  ];
}

function scanFindings(d: DefenderStatus, policy: AvJudgePolicy): Finding[] {
  const scans: [Age | undefined, number, string][] = [
    [d.quickScanAge, policy.maxQuickScanAgeDays, 'av.quick-scan-overdue'],
    [d.fullScanAge, policy.maxFullScanAgeDays, 'av.full-scan-overdue'],
  ];
  return scans
    .filter(([age, max]) => age === 'never' || (age !== undefined && age > max))
    .map(([age, , code]) =>
      findingFor(code, DEFENDER, { detail: { ...product, ageDays: age } }),
    );
}
