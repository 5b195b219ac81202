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
  queues: {
    ingest: IQueue;
    jobEvents: IQueue;
    ruleErrors: IQueue;
  };
}

type Target = { queue: IQueue; role: Role };

/**
 * One CfnTopicRule per core rule (the typed L2 rule constructs are still
 * alpha). Each sends to its queue with a role that may only send there and
 * that only the rules sending there may assume, and delivers its failures
 * to the rule-error queue with a second role that may only send there.
 */
export class TopicRules extends Construct {
  readonly rules: CfnTopicRule[];

  constructor(scope: Construct, id: string, props: TopicRulesProps) {
    super(scope, id);

    const nameOf = (rule: TopicRuleDefinition) =>
      topicRuleName(props.deploymentName, rule.name);
    const queueOf: Record<TopicRuleDefinition['queue'], IQueue> = {
      ingest: props.queues.ingest,
      'job-events': props.queues.jobEvents,
    };
    const actions = new Map<TopicRuleDefinition['queue'], Target>();
    for (const queue of new Set(TOPIC_RULES.map((r) => r.queue))) {
      const names = TOPIC_RULES.filter((r) => r.queue === queue).map(nameOf);
      const roleId = queue === 'ingest' ? 'ActionRole' : `${pascal(queue)}Role`;
      const role = this.sendRole(roleId, queueOf[queue], names);
      actions.set(queue, { queue: queueOf[queue], role });
    }
    const error = {
      queue: props.queues.ruleErrors,
      role: this.sendRole(
        'ErrorActionRole',
        props.queues.ruleErrors,
        TOPIC_RULES.map(nameOf),
      ),
    };

    this.rules = TOPIC_RULES.map((rule) =>
      this.rule(rule, nameOf(rule), {
        action: actions.get(rule.queue) as Target,
        error,
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
    targets: Record<'action' | 'error', Target>,
  ) {
    const sqs = (target: Target) => ({
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

function pascal(name: string) {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
