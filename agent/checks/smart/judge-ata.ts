import type { Finding } from '../../../core/index.js';
import { findingFor } from '../../../core/judgement.js';
import {
  MEDIA_COUNTER,
  type TrendSeverity,
  trendDetail,
  trendOf,
} from './trend.js';
import type { AtaAttribute, SmartBaseline, SmartDevice } from './types.js';

interface CounterRule {
  id: number;
  code: string;
  severity: TrendSeverity;
  /** What the finding is about; CRC errors belong to the link. */
  subject?: (drive: string) => string;
}

/**
 * The critical ATA counters. Pending sectors stay a warning even when
 * stable: they are unreadable now, not history. CRC errors never go past a
 * warning: they indict the cable, not the disk.
 */
const COUNTERS: CounterRule[] = [
  {
    id: 5,
    code: 'smart.reallocated-sectors',
    severity: MEDIA_COUNTER,
  },
  {
    id: 187,
    code: 'smart.reported-uncorrectable',
    severity: MEDIA_COUNTER,
  },
  {
    id: 188,
    code: 'smart.command-timeouts',
    severity: { 'no-baseline': 'info', stable: 'info', grown: 'warning' },
  },
  {
    id: 197,
    code: 'smart.pending-sectors',
    severity: {
      'no-baseline': 'warning',
      stable: 'warning',
      grown: 'critical',
    },
  },
  {
    id: 198,
    code: 'smart.offline-uncorrectable',
    severity: MEDIA_COUNTER,
  },
  {
    id: 199,
    code: 'smart.crc-errors',
    severity: { 'no-baseline': 'warning', stable: 'info', grown: 'warning' },
    subject: (drive) => `${drive} SATA link`,
  },
];

/** Findings from the ATA attribute table. */
export function judgeAtaAttributes(
  device: SmartDevice,
  drive: string,
  baseline: SmartBaseline | undefined,
): Finding[] {
  return [
    ...device.attributes.flatMap((a) => thresholdFinding(a, drive)),
    ...COUNTERS.flatMap((rule) =>
      counterFinding(device, rule, drive, baseline),
    ),
    ...wearFindings(device, drive),
  ];
}

function thresholdFinding(a: AtaAttribute, drive: string): Finding[] {
  const label = `${a.id} ${a.name}`;
  const atThreshold =
    a.thresh !== undefined &&
    a.thresh > 0 &&
    a.value !== undefined &&
    a.value <= a.thresh;
  const detail = {
    attribute: a.id,
    name: a.name,
    value: a.value,
    thresh: a.thresh,
    raw: a.rawText,
  };

  if (a.whenFailed === 'now' || atThreshold) {
    return [
      findingFor('smart.attribute-below-threshold', drive, {
        // An old-age attribute at threshold is wear, not imminent failure.
        severity: a.prefailure === false ? 'warning' : 'critical',
        title: `SMART attribute ${label} at or below its failure threshold`,
        detail,
      }),
    ];
  }
  if (a.whenFailed === 'past') {
    return [
      findingFor('smart.attribute-failed-in-past', drive, {
        title: `SMART attribute ${label} was at its threshold in the past`,
        detail,
      }),
    ];
  }
  return [];
}

function counterFinding(
  device: SmartDevice,
  rule: CounterRule,
  drive: string,
  baseline: SmartBaseline | undefined,
): Finding[] {
  const attribute = device.attributes.find((a) => a.id === rule.id);
  const count = attribute?.count;
  // A packed raw value is not a count; the threshold rule still applies.
  if (count === undefined || count === 0) return [];

  const key = `ata.${rule.id}`;
  const trend = trendOf(key, count, baseline);
  return [
    findingFor(rule.code, rule.subject?.(drive) ?? drive, {
      severity: rule.severity[trend],
      detail: { ...trendDetail(key, count, baseline), trend },
    }),
  ];
}

/** Normalized wear indicators: 100 when new, falling towards 1. */
const WEAR_NAME =
  /wear_leveling|wearout|life_left|lifetime_remain|remaining_lifetime|percent_life_remain/i;

const WEAR = { wornOut: 10, high: 30 };

function wearFindings(device: SmartDevice, drive: string): Finding[] {
  const wear = device.attributes.find(
    (a) => WEAR_NAME.test(a.name) && a.value !== undefined,
  );
  if (!wear || wear.value === undefined || wear.value > WEAR.high) return [];

  const detail = {
    attribute: wear.id,
    name: wear.name,
    value: wear.value,
    raw: wear.rawText,
    ...bytesWritten(device),
  };
  const label = `${wear.name} ${wear.value}/100`;
  return [
    wear.value <= WEAR.wornOut
      ? findingFor('smart.ssd-worn-out', drive, {
          title: `SSD at or past its rated endurance (${label})`,
          detail,
        })
      : findingFor('smart.ssd-wear-high', drive, {
          title: `SSD approaching its rated endurance (${label})`,
          detail,
        }),
  ];
}

function bytesWritten(device: SmartDevice): Record<string, number> {
  const lbas = device.attributes.find((a) => a.id === 241)?.count;
  if (lbas === undefined) return {};
  return { bytesWritten: lbas * (device.logicalBlockSize ?? 512) };
}
