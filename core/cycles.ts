import type { CheckKind } from './checks.js';

/**
 * The maintenance cycles (DESIGN §5). EventBridge Scheduler expressions are
 * read by infra; local/ runs the same table. "Every 14 days" is a rate with a
 * start date, since cron cannot express it.
 */
export interface CycleDefinition {
  kind: string;
  /** EventBridge Scheduler expression, evaluated in the client's zone. */
  schedule: string;
  /** How long after the due time the cycle still counts as on time, ms. */
  windowMs: number;
  checks: readonly CheckKind[];
  /** Heavy cycles wait for mains power and an unmetered network. */
  heavy: boolean;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const CYCLES = [
  {
    kind: 'av-definitions',
    schedule: 'rate(4 hours)',
    windowMs: 4 * HOUR,
    checks: ['antivirus'],
    heavy: false,
  },
  {
    kind: 'maintenance',
    schedule: 'cron(0 12 * * ? *)',
    windowMs: DAY,
    checks: ['cleanup', 'disk-space'],
    heavy: false,
  },
  {
    kind: 'spyware-quick',
    schedule: 'cron(0 13 ? * MON-FRI *)',
    windowMs: DAY,
    checks: ['spyware-scan'],
    heavy: false,
  },
  {
    kind: 'spyware-full',
    schedule: 'cron(0 10 ? * SAT *)',
    windowMs: 2 * DAY,
    checks: ['spyware-scan'],
    heavy: true,
  },
  {
    kind: 'patch-assessment',
    schedule: 'cron(0 11 ? * WED *)',
    windowMs: 7 * DAY,
    checks: ['patch-assessment'],
    heavy: false,
  },
  {
    kind: 'disk-space',
    schedule: 'rate(14 days)',
    windowMs: 14 * DAY,
    checks: ['disk-space'],
    heavy: false,
  },
  {
    kind: 'smart',
    schedule: 'rate(14 days)',
    windowMs: 14 * DAY,
    checks: ['smart'],
    heavy: false,
  },
] as const satisfies readonly CycleDefinition[];

export type CycleKind = (typeof CYCLES)[number]['kind'];
