import type { Severity } from '../verdict.js';

/**
 * The priority of a finding, 0 to 100, from what it is and where it is:
 *
 *   severity base   info 10, warning 40, critical 70
 *   + recurrence    +5 each time it came back after being resolved, ≤ +15
 *   + time open     +2 per whole day open, ≤ +10
 *   + device role   server +10, executive +5, standard 0, kiosk -5
 *
 * A code the catalogue does not know is scored as at least a warning: it is
 * kept and looked at, never dropped or ranked below what it may hide.
 */
export const DEVICE_ROLES = [
  'standard',
  'executive',
  'server',
  'kiosk',
] as const;
export type DeviceRole = (typeof DEVICE_ROLES)[number];

export const priorityWeights = {
  severity: { info: 10, warning: 40, critical: 70 },
  /** Points per recurrence, and their cap. */
  recurrence: { each: 5, max: 15 },
  /** Points per whole day open, and their cap. */
  daysOpen: { each: 2, max: 10 },
  role: { standard: 0, executive: 5, server: 10, kiosk: -5 },
} as const;

export const PRIORITY_BANDS = ['low', 'medium', 'high', 'urgent'] as const;
export type PriorityBand = (typeof PRIORITY_BANDS)[number];

export interface PriorityInput {
  severity: Severity;
  /** False when the catalogue has no entry for the code. */
  known: boolean;
  /** Times the finding was resolved and came back. */
  recurrences: number;
  /** When the finding was first seen in this occurrence, ms. */
  openedAtMs: number;
  nowMs: number;
  /** @default 'standard' */
  role?: DeviceRole;
}

export interface Priority {
  score: number;
  band: PriorityBand;
  factors: {
    severity: number;
    recurrence: number;
    daysOpen: number;
    role: number;
  };
}

const DAY_MS = 24 * 3600 * 1000;

export function scoreFinding(input: PriorityInput): Priority {
  const w = priorityWeights;
  const severity =
    !input.known && input.severity === 'info' ? 'warning' : input.severity;
  const days = Math.max(
    0,
    Math.floor((input.nowMs - input.openedAtMs) / DAY_MS),
  );

  const factors = {
    severity: w.severity[severity],
    recurrence: Math.min(
      w.recurrence.max,
      Math.max(0, input.recurrences) * w.recurrence.each,
    ),
    daysOpen: Math.min(w.daysOpen.max, days * w.daysOpen.each),
    role: w.role[input.role ?? 'standard'],
  };
  const sum =
    factors.severity + factors.recurrence + factors.daysOpen + factors.role;
  const score = Math.max(0, Math.min(100, sum));

  return { score, band: bandOf(score), factors };
}

export function bandOf(score: number): PriorityBand {
  if (score >= 80) return 'urgent';
  if (score >= 60) return 'high';
  if (score >= 35) return 'medium';
  return 'low';
}
