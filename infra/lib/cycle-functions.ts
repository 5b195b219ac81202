import { Aws, Duration, Validations } from 'aws-cdk-lib';
import {
  Effect,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { CfnTopicRule } from 'aws-cdk-lib/aws-iot';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { IOT_SQL_VERSION } from '../../core/rules.js';
import { groupCycleTopic } from '../../core/topics.js';
import type { DataTable } from './data-table.js';
import { paths } from './paths.js';
import type { LogLevel } from './settings.js';
import { tableReadStatement, tableReadWriteStatement } from './table-access.js';
import { topicRuleName } from './topic-rules.js';
import { UpkeepFunction } from './upkeep-function.js';

/**
 * The functions of cycles and roaming (docs/cycles.md):
 * - cycles: publishes cycle messages; reads the table, may publish to the
 *   group cycle topics only;
 * - policy: stores layers, writes the `policy` shadows;
 * - sweep: raises and resolves maintenance.missed;
 * - presence: keeps each device's lifecycle events, fed by a topic rule on
 *   `$aws/events/presence/+/+` whose failures go to the rule-error queue.
 */
export const cycleFunctionDefaults = {
  cycles: { memorySize: 256, timeout: Duration.seconds(60) },
  policy: { memorySize: 256, timeout: Duration.minutes(5) },
  sweep: { memorySize: 256, timeout: Duration.minutes(10) },
  presence: { memorySize: 128, timeout: Duration.seconds(10) },
  presenceRule: 'upkeep_presence',
};

export interface CycleFunctionsProps {
  deploymentName: string;
  table: DataTable;
  ruleErrors: IQueue;
  /** Lambda dead-letter queue of the four (all invoked asynchronously). */
  asyncFailures: IQueue;
  logLevel: LogLevel;
  logRetention: RetentionDays;
}

export function iotArn(resource: string) {
  return `arn:${Aws.PARTITION}:iot:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
}

export class CycleFunctions extends Construct {
  readonly cycles: UpkeepFunction;
  readonly policy: UpkeepFunction;
  readonly sweep: UpkeepFunction;
  readonly presence: UpkeepFunction;
  readonly presenceRule: CfnTopicRule;

  constructor(scope: Construct, id: string, props: CycleFunctionsProps) {
    super(scope, id);
    const make = (
      name: keyof typeof paths,
      fn: 'cycles' | 'policy' | 'sweep' | 'presence',
    ) =>
      new UpkeepFunction(this, `${fn[0]?.toUpperCase()}${fn.slice(1)}`, {
        entry: paths[name],
        serviceName: `upkeep-${fn}`,
        ...cycleFunctionDefaults[fn],
        logLevel: props.logLevel,
        logRetention: props.logRetention,
        environment: { TABLE_NAME: props.table.table.tableName },
        deadLetterQueue: props.asyncFailures,
      });
    this.cycles = make('cyclesHandler', 'cycles');
    this.policy = make('policyHandler', 'policy');
    this.sweep = make('sweepHandler', 'sweep');
    this.presence = make('presenceHandler', 'presence');

    const arns = props.table.arns;
    this.cycles.role.addToPolicy(tableReadStatement(arns));
    for (const fn of [this.policy, this.sweep, this.presence]) {
      fn.role.addToPolicy(tableReadWriteStatement(arns));
    }
    this.grantIot();
    this.presenceRule = this.presenceTopicRule(props);
  }

  private grantIot() {
    this.cycles.role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['iot:Publish'],
        resources: [iotArn(`topic/${groupCycleTopic('*')}`)],
      }),
    );
    this.policy.role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['iot:GetThingShadow', 'iot:UpdateThingShadow'],
        resources: [iotArn('thing/*/policy')],
      }),
    );
    for (const fn of [this.cycles, this.policy]) {
      fn.role.addToPolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['iot:DescribeEndpoint'],
          resources: ['*'],
        }),
      );
    }
    acknowledge(
      this.cycles,
      `topic/${groupCycleTopic('*')}`,
      'Groups (clients and sites) are created at run time; the resource is ' +
        "limited to the cycle topics, the function's only publish.",
    );
    acknowledge(
      this.policy,
      'thing/*/policy',
      'Things are enrolled at run time without a common name prefix; the ' +
        'resource is limited to their `policy` named shadow.',
    );
    for (const fn of [this.cycles, this.policy]) {
      Validations.of(fn.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'iot:DescribeEndpoint has no resource-level permissions; the ' +
          "function reads the account's data endpoint once per container.",
      });
    }
  }

  private presenceTopicRule(props: CycleFunctionsProps) {
    const ruleName = topicRuleName(
      props.deploymentName,
      cycleFunctionDefaults.presenceRule,
    );
    const ruleArn = iotArn(`rule/${ruleName}`);
    this.presence.fn.addPermission('InvokedByPresenceRule', {
      principal: new ServicePrincipal('iot.amazonaws.com'),
      sourceArn: ruleArn,
      sourceAccount: Aws.ACCOUNT_ID,
    });
    const errorRole = new Role(this, 'PresenceErrorRole', {
      assumedBy: new ServicePrincipal('iot.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnEquals: { 'aws:SourceArn': ruleArn },
        },
      }),
    });
    errorRole.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['sqs:SendMessage'],
        resources: [props.ruleErrors.queueArn],
      }),
    );
    const rule = new CfnTopicRule(this, 'PresenceRule', {
      ruleName,
      topicRulePayload: {
        description:
          'Lifecycle events of every client to the presence function',
        sql: "SELECT * FROM '$aws/events/presence/+/+'",
        awsIotSqlVersion: IOT_SQL_VERSION,
        ruleDisabled: false,
        actions: [{ lambda: { functionArn: this.presence.fn.functionArn } }],
        errorAction: {
          sqs: {
            queueUrl: props.ruleErrors.queueUrl,
            roleArn: errorRole.roleArn,
            useBase64: false,
          },
        },
      },
    });
    rule.node.addDependency(errorRole);
    return rule;
  }
}

function acknowledge(fn: UpkeepFunction, resource: string, reason: string) {
  Validations.of(fn.role).acknowledge({
    id:
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:' +
      `<AWS::Region>:<AWS::AccountId>:${resource}]`,
    reason,
  });
}
