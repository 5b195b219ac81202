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
  /**
   * First occurrence of a `rate(...)` schedule, ISO 8601 with offset (the
   * Scheduler StartDate). Required for rates: agent and cloud count the
   * windows from it, so both name a window alike.
   */
  startDate?: string;
  /**
   * Planned inside the client's maintenance window (policy) when it has
   * one: runs the user may notice. @default false
   */
  inMaintenanceWindow?: boolean;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const CYCLES = [
  {
    kind: 'av-definitions',
    schedule: 'rate(4 hours)',
    startDate: '2026-01-05T00:00:00.000Z',
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
    inMaintenanceWindow: true,
  },
  {
    kind: 'spyware-quick',
    schedule: 'cron(0 13 ? * MON-FRI *)',
    windowMs: DAY,
    checks: ['spyware-scan'],
    heavy: false,
    inMaintenanceWindow: true,
  },
  {
    kind: 'spyware-full',
    schedule: 'cron(0 10 ? * SAT *)',
    windowMs: 2 * DAY,
    checks: ['spyware-scan'],
    heavy: true,
    inMaintenanceWindow: true,
  },
  {
    kind: 'patch-assessment',
    schedule: 'cron(0 11 ? * WED *)',
    windowMs: 7 * DAY,
    checks: ['patch-assessment'],
    heavy: false,
    inMaintenanceWindow: true,
  },
  {
    kind: 'disk-space',
    schedule: 'rate(14 days)',
    startDate: '2026-01-05T00:00:00.000Z',
    windowMs: 14 * DAY,
    checks: ['disk-space'],
    heavy: false,
  },
  {
    kind: 'smart',
    schedule: 'rate(14 days)',
    // A week after disk-space, so that the two fortnightly probes of the
    // same drives do not fall on the same day.
    startDate: '2026-01-12T00:00:00.000Z',
    windowMs: 14 * DAY,
    checks: ['smart'],
    heavy: false,
  },
] as const satisfies readonly CycleDefinition[];

export type CycleKind = (typeof CYCLES)[number]['kind'];
