import { Aws } from 'aws-cdk-lib';
import {
  Effect,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { CfnTopicRule } from 'aws-cdk-lib/aws-iot';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  IOT_SQL_VERSION,
  TOPIC_RULES,
  type TopicRuleDefinition,
} from '../../core/rules.js';

/**
 * Rule names are unique per account and region, so a second deployment in
 * the same account (say "upkeep-staging") must not reuse them. The core name
 * keeps its meaning after the deployment's own prefix:
 * upkeep + upkeep_reports → upkeep_reports,
 * upkeep-staging + upkeep_reports → upkeep_staging_reports.
 */
export function topicRuleName(deploymentName: string, ruleName: string) {
  const prefix = deploymentName.replaceAll('-', '_');
  return `${prefix}_${ruleName.replace(/^upkeep_/, '')}`;
}

export interface TopicRulesProps {
  deploymentName: string;
  queues: { ingest: IQueue; ruleErrors: IQueue };
}

/**
 * One CfnTopicRule per core rule (the typed L2 rule constructs are still
 * alpha). Each sends to its queue with a role that may only send there, and
 * delivers its failures to the rule-error queue with a second role that may
 * only send there.
 */
export class TopicRules extends Construct {
  readonly rules: CfnTopicRule[];

  constructor(scope: Construct, id: string, props: TopicRulesProps) {
    super(scope, id);

    const names = TOPIC_RULES.map((rule) =>
      topicRuleName(props.deploymentName, rule.name),
    );
    const actionRole = this.sendRole('ActionRole', props.queues.ingest, names);
    const errorRole = this.sendRole(
      'ErrorActionRole',
      props.queues.ruleErrors,
      names,
    );

    this.rules = TOPIC_RULES.map((rule, index) =>
      this.rule(rule, names[index] as string, {
        action: { queue: props.queues.ingest, role: actionRole },
        error: { queue: props.queues.ruleErrors, role: errorRole },
      }),
    );
  }

  /**
   * A role IoT assumes for these rules only (confused-deputy guard on the
   * account and the rule ARNs), allowed sqs:SendMessage on one queue.
   */
  private sendRole(id: string, queue: IQueue, ruleNames: string[]) {
    const ruleArns = ruleNames.map(
      (name) =>
        `arn:${Aws.PARTITION}:iot:${Aws.REGION}:${Aws.ACCOUNT_ID}:rule/${name}`,
    );
    const role = new Role(this, id, {
      assumedBy: new ServicePrincipal('iot.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnEquals: { 'aws:SourceArn': ruleArns },
        },
      }),
    });
    role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
      }),
    );
    return role;
  }

  private rule(
    rule: TopicRuleDefinition,
    ruleName: string,
    targets: Record<'action' | 'error', { queue: IQueue; role: Role }>,
  ) {
    const sqs = (target: { queue: IQueue; role: Role }) => ({
      queueUrl: target.queue.queueUrl,
      roleArn: target.role.roleArn,
      useBase64: false,
    });

    const topicRule = new CfnTopicRule(this, rule.name, {
      ruleName,
      topicRulePayload: {
        description: `Sends ${rule.topicFilter} to the ${rule.queue} queue`,
        sql: rule.sql,
        awsIotSqlVersion: IOT_SQL_VERSION,
        ruleDisabled: false,
        actions: [{ sqs: sqs(targets.action) }],
        errorAction: { sqs: sqs(targets.error) },
      },
    });

    // The rule can deliver only once its roles' policies exist; without the
    // dependency the first messages after a deployment could be dropped.
    topicRule.node.addDependency(targets.action.role, targets.error.role);
    return topicRule;
  }
}
