import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export const alarmDefaults = {
  /** Queue depth is sampled each minute; one sample over 0 alarms. */
  queuePeriod: Duration.minutes(1),
  /** Function errors are summed over five minutes. */
  errorPeriod: Duration.minutes(5),
};

export interface UpkeepAlarmsProps {
  deadLetterQueue: IQueue;
  ruleErrorQueue: IQueue;
  ingestFunction: IFunction;
  /** Subscribed to the alarm topic when given. */
  email: string | undefined;
}

/**
 * The alarms that need a human: anything dead-lettered, anything IoT could
 * not deliver, and the ingest function failing. All notify one SNS topic.
 */
export class UpkeepAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: UpkeepAlarmsProps) {
    super(scope, id);

    this.topic = new Topic(this, 'Topic', { enforceSSL: true });
    if (props.email) {
      this.topic.addSubscription(new EmailSubscription(props.email));
    }

    this.alarms = [
      this.alarm(
        'DeadLetters',
        'Messages are waiting in the ingest dead-letter queue',
        props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: alarmDefaults.queuePeriod,
          statistic: 'Maximum',
        }),
      ),
      this.alarm(
        'RuleErrors',
        'IoT could not deliver messages to the ingest queue',
        props.ruleErrorQueue.metricApproximateNumberOfMessagesVisible({
          period: alarmDefaults.queuePeriod,
          statistic: 'Maximum',
        }),
      ),
      this.alarm(
        'IngestErrors',
        'The ingest function failed',
        props.ingestFunction.metricErrors({
          period: alarmDefaults.errorPeriod,
          statistic: 'Sum',
        }),
      ),
    ];
  }

  /** Alarms when one period's value is above zero; no data is fine. */
  alarm(id: string, description: string, metric: IMetric) {
    const alarm = new Alarm(this, id, {
      alarmDescription: description,
      metric,
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    return alarm;
  }
}
