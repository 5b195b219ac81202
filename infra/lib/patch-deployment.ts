import { Aws, Duration, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnSchedule, CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DataTable } from './data-table.js';
import { REPO_ROOT } from './paths.js';
import type { Remedies } from './remedies.js';
import { schedulerInvokeRole } from './scheduler-invoke-role.js';
import type { LogLevel } from './settings.js';
import { tableReadWriteStatement } from './table-access.js';
import { UpkeepFunction } from './upkeep-function.js';

/**
 * Patch Doctor's deployment planner (docs/patch-doctor.md): the function,
 * its hourly schedule and exactly the permissions it uses. Hourly is how
 * it runs "after each weekly assessment" too: a client's assessments are
 * planned within the hour they arrive, and each device's window is caught
 * in the hour it opens.
 */
export const patchDeploymentDefaults = {
  /** A run reads every device of every client: minutes, not seconds. */
  timeout: Duration.minutes(10),
  memorySize: 512,
  expression: 'rate(1 hour)',
  flexibleWindowMinutes: 10,
  retryAttempts: 3,
};

export interface PatchDeploymentProps {
  deploymentName: string;
  table: DataTable;
  remedies: Remedies;
  /** Lambda dead-letter queue (the schedule invokes asynchronously). */
  asyncFailures: IQueue;
  logLevel: LogLevel;
  logRetention: RetentionDays;
}

export class PatchDeployment extends Construct {
  readonly planner: UpkeepFunction;
  readonly schedule: CfnSchedule;

  constructor(scope: Construct, id: string, props: PatchDeploymentProps) {
    super(scope, id);
    const d = patchDeploymentDefaults;
    this.planner = new UpkeepFunction(this, 'Planner', {
      entry: `${REPO_ROOT}lambdas/patches/handler.ts`,
      serviceName: 'upkeep-patch-planner',
      memorySize: d.memorySize,
      timeout: d.timeout,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      environment: {
        TABLE_NAME: props.table.table.tableName,
        ...props.remedies.sender.environment,
      },
      paramsAndSecrets: props.remedies.sender.paramsAndSecrets,
      deadLetterQueue: props.asyncFailures,
    });
    this.grant(props);
    this.schedule = this.hourly(props.deploymentName);
  }

  /**
   * The table, the signing secret, and CreateJob/DescribeJob on this
   * deployment's patch jobs (`<prefix>-patch-*`) and the things they target.
   */
  private grant(props: PatchDeploymentProps) {
    const role = this.planner.role;
    role.addToPolicy(tableReadWriteStatement(props.table.arns));
    props.remedies.signingSecret.grantRead(role);
    const jobs = `job/${props.remedies.jobIdPrefix}-patch-*`;
    role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['iot:CreateJob', 'iot:DescribeJob'],
        resources: [iotArn(jobs), iotArn('thing/*')],
      }),
    );
    const reason =
      'Patch jobs are made at run time per client, wave and group, so the ' +
      "job resource is limited to this deployment's patch job prefix; they " +
      'target things enrolled at run time without a common name prefix.';
    for (const resource of [jobs, 'thing/*']) {
      Validations.of(role).acknowledge({
        id:
          'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:' +
          `<AWS::Region>:<AWS::AccountId>:${resource}]`,
        reason,
      });
    }
  }

  private hourly(deploymentName: string) {
    const d = patchDeploymentDefaults;
    const group = new CfnScheduleGroup(this, 'Group', {
      name: `${deploymentName}-patches`,
    });
    const role = schedulerInvokeRole(this, [this.planner.fn]);
    const schedule = new CfnSchedule(this, 'Hourly', {
      name: `${deploymentName}-patch-planner`,
      groupName: group.ref,
      scheduleExpression: d.expression,
      flexibleTimeWindow: {
        mode: 'FLEXIBLE',
        maximumWindowInMinutes: d.flexibleWindowMinutes,
      },
      target: {
        arn: this.planner.fn.functionArn,
        roleArn: role.roleArn,
        input: '{}',
        retryPolicy: {
          maximumRetryAttempts: d.retryAttempts,
          maximumEventAgeInSeconds: 3600,
        },
      },
    });
    schedule.node.addDependency(role);
    return schedule;
  }
}

function iotArn(resource: string) {
  return `arn:${Aws.PARTITION}:iot:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
}
