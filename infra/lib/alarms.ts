import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeFinal, queueDefaults } from './queues.js';

export const alarmDefaults = {
  /** Queue depth is sampled each minute; one sample over 0 alarms. */
  queuePeriod: Duration.minutes(1),
  /** Function errors are summed over five minutes. */
  errorPeriod: Duration.minutes(5),
};

export interface UpkeepAlarmsProps {
  /** Subscribed to the alarm topic when given. */
  email: string | undefined;
}

export interface AlarmThreshold {
  threshold: number;
  comparisonOperator: ComparisonOperator;
}

/**
 * The alarm topic and the alarms that need a human: anything left in a
 * failure queue, any function failing, the API failing (observability.ts
 * decides what to watch). All notify the one SNS topic.
 */
export class UpkeepAlarms extends Construct {
  readonly topic: Topic;
  /** Notifications SNS could not deliver to a subscriber. */
  readonly undelivered: Queue;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: UpkeepAlarmsProps) {
    super(scope, id);

    this.topic = new Topic(this, 'Topic', { enforceSSL: true });
    this.undelivered = new Queue(this, 'Undelivered', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: queueDefaults.failedRetention,
    });
    acknowledgeFinal(
      this.undelivered,
      'SNS puts the alarm notifications it could not deliver here',
    );
    if (props.email) {
      this.topic.addSubscription(
        new EmailSubscription(props.email, {
          deadLetterQueue: this.undelivered,
        }),
      );
    }
  }

  /**
   * Alarms when one period's value is above the threshold (by default
   * above zero); no data is fine.
   */
  alarm(
    id: string,
    description: string,
    metric: IMetric,
    threshold: AlarmThreshold = {
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    },
  ) {
    const alarm = new Alarm(this, id, {
      alarmDescription: description,
      metric,
      ...threshold,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }
}
