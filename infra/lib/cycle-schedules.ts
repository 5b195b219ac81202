import type { Role } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnSchedule, CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { CYCLES, type CycleDefinition } from '../../core/cycles.js';
import { cycleExpression } from '../../core/schedule/index.js';
import { schedulerInvokeRole } from './scheduler-invoke-role.js';

/**
 * The EventBridge Scheduler schedules, built from core/cycles.ts (the table
 * local/scheduler runs too):
 *
 * - a rate kind (every 4 hours, every 14 days) gets one schedule: its
 *   windows fall at the same instants in every zone, counted from its
 *   StartDate so that agent and cloud name a window alike;
 * - a cron kind gets one schedule per client time zone in
 *   `upkeep:cycleTimeZones`, its expression read in that zone
 *   (ScheduleExpressionTimezone), so 12:00 is noon for the clients there;
 * - each fires within a flexible window (spreading the invocations of
 *   schedules due at once) and passes its scheduled time, which names the
 *   window however late the invocation runs.
 * Plus the hourly sweep and the hourly policy reconciliation.
 */
export const scheduleDefaults = {
  /** Minutes a firing may be late; far below every cycle's window. */
  flexibleWindowMinutes: 15,
  /** Retries of a failed invocation, and for how long, s. */
  retryAttempts: 5,
  maxEventAgeSeconds: 3600,
  sweepExpression: 'rate(1 hour)',
  reconcileExpression: 'rate(1 hour)',
};

export interface ScheduleSpec {
  /** Unique in the group: [0-9a-zA-Z-_.], at most 64. */
  name: string;
  expression: string;
  timeZone: string;
  startDate?: string;
  /** JSON input of the target. */
  input: string;
  target: 'cycles' | 'sweep' | 'policy';
}

/** Every schedule of a deployment serving clients in `timeZones`. */
export function scheduleSpecs(timeZones: readonly string[]): ScheduleSpec[] {
  const cycleSpecs = (CYCLES as readonly CycleDefinition[]).flatMap((cycle) => {
    const cron = cycleExpression(cycle).type === 'cron';
    return (cron ? timeZones : ['UTC']).map((zone) => ({
      name: `cycle-${cycle.kind}${cron ? `-${slug(zone)}` : ''}`.slice(0, 64),
      expression: cycle.schedule,
      timeZone: zone,
      ...(cycle.startDate ? { startDate: cycle.startDate } : {}),
      input: JSON.stringify({
        kind: cycle.kind,
        ...(cron ? { timeZone: zone } : {}),
        scheduledTime: '<aws.scheduler.scheduled-time>',
      }),
      target: 'cycles' as const,
    }));
  });
  return [
    ...cycleSpecs,
    {
      name: 'sweep',
      expression: scheduleDefaults.sweepExpression,
      timeZone: 'UTC',
      input: '{}',
      target: 'sweep',
    },
    {
      name: 'policy-reconcile',
      expression: scheduleDefaults.reconcileExpression,
      timeZone: 'UTC',
      input: JSON.stringify({ action: 'reconcile' }),
      target: 'policy',
    },
  ];
}

/** Europe/Paris → Europe-Paris (schedule names allow no slash). */
function slug(zone: string) {
  return zone.replace(/[^0-9a-zA-Z_.-]/g, '-');
}

export interface CycleSchedulesProps {
  deploymentName: string;
  timeZones: readonly string[];
  targets: Record<ScheduleSpec['target'], IFunction>;
}

export class CycleSchedules extends Construct {
  readonly group: CfnScheduleGroup;
  readonly role: Role;
  readonly schedules: CfnSchedule[];

  constructor(scope: Construct, id: string, props: CycleSchedulesProps) {
    super(scope, id);
    this.group = new CfnScheduleGroup(this, 'Group', {
      name: `${props.deploymentName}-cycles`,
    });
    this.role = schedulerInvokeRole(this, Object.values(props.targets));
    this.schedules = scheduleSpecs(props.timeZones).map((spec) =>
      this.schedule(spec, props.targets[spec.target]),
    );
  }

  private schedule(spec: ScheduleSpec, fn: IFunction) {
    const schedule = new CfnSchedule(this, spec.name, {
      name: spec.name,
      groupName: this.group.ref,
      scheduleExpression: spec.expression,
      scheduleExpressionTimezone: spec.timeZone,
      ...(spec.startDate ? { startDate: spec.startDate } : {}),
      flexibleTimeWindow: {
        mode: 'FLEXIBLE',
        maximumWindowInMinutes: scheduleDefaults.flexibleWindowMinutes,
      },
      target: {
        arn: fn.functionArn,
        roleArn: this.role.roleArn,
        input: spec.input,
        retryPolicy: {
          maximumRetryAttempts: scheduleDefaults.retryAttempts,
          maximumEventAgeInSeconds: scheduleDefaults.maxEventAgeSeconds,
        },
      },
    });
    schedule.node.addDependency(this.role);
    return schedule;
  }
}
