import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export const queueDefaults = {
  /** Receives before SQS moves a message to the dead-letter queue. */
  maxReceiveCount: 5,
  /** How long failed messages stay for inspection: the SQS maximum. */
  failedRetention: Duration.days(14),
  /**
   * AWS asks for a visibility timeout of at least six times the consuming
   * function's timeout, so that retries inside one batch do not make a
   * message visible again while it is still being processed.
   */
  visibilityToTimeoutRatio: 6,
};

export interface IngestQueuesProps {
  /** Timeout of the function that consumes the ingest queue. */
  consumerTimeout: Duration;
}

/**
 * The queues between IoT Core and the ingest function:
 * - ingest: what the topic rules send; the ingest function consumes it.
 * - dead letter: messages the handler rejects with a reason, and those that
 *   failed `maxReceiveCount` times.
 * - rule errors: what IoT's error action delivers when a rule cannot send to
 *   the ingest queue (throttling, a broken role); nothing consumes it, an
 *   alarm watches it.
 * - async failures: the events of asynchronous invocations (Scheduler, IoT
 *   rules) that failed every retry, the Lambda dead-letter queue of the
 *   functions invoked that way; nothing consumes it, an alarm watches it.
 * All use SQS-managed encryption and refuse requests without TLS.
 */
export class IngestQueues extends Construct {
  readonly ingest: Queue;
  readonly deadLetter: Queue;
  readonly ruleErrors: Queue;
  readonly asyncFailures: Queue;

  constructor(scope: Construct, id: string, props: IngestQueuesProps) {
    super(scope, id);

    const secure = {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    } as const;

    this.deadLetter = new Queue(this, 'DeadLetter', {
      ...secure,
      retentionPeriod: queueDefaults.failedRetention,
    });

    this.ruleErrors = new Queue(this, 'RuleErrors', {
      ...secure,
      retentionPeriod: queueDefaults.failedRetention,
    });
    this.asyncFailures = new Queue(this, 'AsyncFailures', {
      ...secure,
      retentionPeriod: queueDefaults.failedRetention,
    });
    acknowledgeFinal(
      this.ruleErrors,
      'the IoT rules error action delivers here',
    );
    acknowledgeFinal(
      this.asyncFailures,
      'Lambda puts the asynchronous invocations that failed every retry here',
    );
    acknowledgeFinal(
      this.deadLetter,
      'the ingest queue and the ingest function put what they reject here',
    );

    this.ingest = new Queue(this, 'Ingest', {
      ...secure,
      visibilityTimeout: Duration.seconds(
        props.consumerTimeout.toSeconds() *
          queueDefaults.visibilityToTimeoutRatio,
      ),
      deadLetterQueue: {
        queue: this.deadLetter,
        maxReceiveCount: queueDefaults.maxReceiveCount,
      },
    });
  }
}

/**
 * The queues marked final, with why: the observability construct alarms on
 * the depth of each and shows it on the dashboard.
 */
export const finalQueues = new WeakMap<Queue, string>();

/**
 * A queue that is itself the last stop of failed messages: nothing consumes
 * it, so a dead-letter queue of its own would never receive anything; an
 * alarm on its depth brings a human instead.
 */
export function acknowledgeFinal(queue: Queue, why: string) {
  finalQueues.set(queue, why);
  const reason =
    `A final destination for failures (${why}). Nothing consumes it, so a ` +
    'further dead-letter queue would never receive anything; an alarm on ' +
    'its depth brings a human instead.';
  for (const id of ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']) {
    Validations.of(queue).acknowledge({ id, reason });
  }
}

/**
 * A function's encrypted, TLS-only work queue and the dead-letter queue it
 * redrives to, with the visibility timeout sized from the consumer's
 * timeout. The ids are `<id>` and `<id>DeadLetter` within `scope`.
 */
export function queueWithDeadLetter(
  scope: Construct,
  id: string,
  options: { consumerTimeout: Duration; deadLetterReason: string },
) {
  const secure = {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  } as const;
  const deadLetter = new Queue(scope, `${id}DeadLetter`, {
    ...secure,
    retentionPeriod: queueDefaults.failedRetention,
  });
  acknowledgeFinal(deadLetter, options.deadLetterReason);
  const queue = new Queue(scope, id, {
    ...secure,
    visibilityTimeout: Duration.seconds(
      options.consumerTimeout.toSeconds() *
        queueDefaults.visibilityToTimeoutRatio,
    ),
    deadLetterQueue: {
      queue: deadLetter,
      maxReceiveCount: queueDefaults.maxReceiveCount,
    },
  });
  return { queue, deadLetter };
}
