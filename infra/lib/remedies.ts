import { Aws, Duration, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  ParamsAndSecretsLayerVersion,
  ParamsAndSecretsLogLevel,
  ParamsAndSecretsVersions,
} from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DataTable } from './data-table.js';
import { JobSigningPublicKey } from './job-signing-public-key.js';
import { paths } from './paths.js';
import { queueWithDeadLetter } from './queues.js';
import type { LogLevel } from './settings.js';
import { tableReadWriteStatement } from './table-access.js';
import { UpkeepFunction } from './upkeep-function.js';

export const remedyDefaults = {
  /** The job-events function's timeout; its queue hides messages 6x it. */
  timeout: Duration.seconds(30),
  /** MB; a batch is a few reads, one CreateJob and a few writes. */
  memorySize: 256,
  batchSize: 10,
  /** Characters of the generated secret the signing seed is hashed from. */
  secretLength: 64,
};

/** What a function that sends remedy jobs gets (ingest, job-events). */
export interface RemedySender {
  environment: Record<string, string>;
  paramsAndSecrets: ParamsAndSecretsLayerVersion;
}

export interface RemediesProps {
  deploymentName: string;
  table: DataTable;
  logLevel: LogLevel;
  logRetention: RetentionDays;
}

/**
 * The cloud half of the remedy loop (docs/remedies.md):
 * - the job-signing secret: Secrets Manager generates it at deployment and
 *   the functions hash it into the Ed25519 key, so the private key never
 *   leaves AWS (lambdas/lib/job-signing.ts);
 * - the custom resource that publishes its public key for enrolment;
 * - the job-events queue, which the `upkeep_job_executions` topic rule
 *   feeds, with its dead-letter queue;
 * - the job-events function;
 * - the IoT permissions of a remedy sender: CreateJob and
 *   DescribeJobExecution on this deployment's jobs and on things.
 */
export class Remedies extends Construct {
  readonly signingSecret: Secret;
  /** The public half of the signing key, for enrolment (stack output). */
  readonly publicKey: JobSigningPublicKey;
  readonly queue: Queue;
  readonly deadLetter: Queue;
  readonly jobEvents: UpkeepFunction;
  readonly sender: RemedySender;
  readonly jobIdPrefix: string;

  constructor(scope: Construct, id: string, props: RemediesProps) {
    super(scope, id);
    this.jobIdPrefix = props.deploymentName;

    this.signingSecret = this.secret();
    this.sender = {
      environment: {
        JOB_SIGNING_SECRET_ID: this.signingSecret.secretArn,
        THING_ARN_PREFIX: thingArn(''),
        JOB_ID_PREFIX: this.jobIdPrefix,
      },
      paramsAndSecrets: ParamsAndSecretsLayerVersion.fromVersion(
        ParamsAndSecretsVersions.V1_0_103,
        { logLevel: ParamsAndSecretsLogLevel.WARN },
      ),
    };
    this.publicKey = new JobSigningPublicKey(this, 'PublicKey', {
      secret: this.signingSecret,
      paramsAndSecrets: this.sender.paramsAndSecrets,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
    });
    ({ queue: this.queue, deadLetter: this.deadLetter } = this.queues());
    this.jobEvents = this.function(props);
  }

  /** Lets a function send remedy jobs: the secret and the IoT calls. */
  grantSend(fn: UpkeepFunction) {
    this.signingSecret.grantRead(fn.role);
    fn.role.addToPolicy(iotJobsStatement(this.jobIdPrefix));

    const reason =
      'Remedy jobs are created at run time, one per finding and attempt, ' +
      'so their ARNs are only known by their prefix: the job resource is ' +
      "limited to this deployment's job id prefix. A job targets a thing, " +
      'and things are enrolled at run time without a common name prefix, ' +
      'so CreateJob and DescribeJobExecution must name the thing resource ' +
      'by pattern; the actions themselves are the two the handlers call.';
    for (const resource of [`job/${this.jobIdPrefix}-*`, 'thing/*']) {
      Validations.of(fn.role).acknowledge({
        id:
          'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:' +
          `<AWS::Region>:<AWS::AccountId>:${resource}]`,
        reason,
      });
    }
  }

  private secret() {
    const secret = new Secret(this, 'SigningSecret', {
      description:
        'Seed of the Ed25519 key that signs remedy job documents; agents ' +
        'hold the public key',
      generateSecretString: {
        passwordLength: remedyDefaults.secretLength,
        excludePunctuation: true,
      },
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the signing seed changes the key that every agent trusts, ' +
        'so it cannot be rotated by a Lambda on a schedule: the new public ' +
        'key must reach the agents first. Rotation is an operator procedure ' +
        'in docs/remedies.md; the key id in each document lets agents hold ' +
        'the old and new keys during the change.',
    });
    return secret;
  }

  private queues() {
    return queueWithDeadLetter(this, 'JobEvents', {
      consumerTimeout: remedyDefaults.timeout,
      deadLetterReason:
        'the job-events queue and function put what they reject here',
    });
  }

  private function(props: RemediesProps) {
    const fn = new UpkeepFunction(this, 'JobEventsFunction', {
      entry: paths.jobEventsHandler,
      serviceName: 'upkeep-job-events',
      memorySize: remedyDefaults.memorySize,
      timeout: remedyDefaults.timeout,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      environment: {
        TABLE_NAME: props.table.table.tableName,
        DEAD_LETTER_QUEUE_URL: this.deadLetter.queueUrl,
        ...this.sender.environment,
      },
      paramsAndSecrets: this.sender.paramsAndSecrets,
    });
    fn.role.addToPolicy(tableReadWriteStatement(props.table.arns));
    fn.role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['sqs:SendMessage'],
        resources: [this.deadLetter.queueArn],
      }),
    );
    this.grantSend(fn);
    fn.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: remedyDefaults.batchSize,
        reportBatchItemFailures: true,
      }),
    );
    acknowledgeQueueConsumer(fn, 'job-events');
    return fn;
  }
}

function iotArn(resource: string) {
  return `arn:${Aws.PARTITION}:iot:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
}

function thingArn(name: string) {
  return iotArn(`thing/${name}`);
}

/**
 * CreateJob and DescribeJobExecution act on a job and on the thing it
 * targets, so both appear. Jobs are limited to this deployment's id prefix
 * (lambdas/lib/job-id.ts); things are enrolled at run time and have no
 * common prefix, so any thing of the account is allowed.
 */
export function iotJobsStatement(jobIdPrefix: string) {
  return new PolicyStatement({
    effect: Effect.ALLOW,
    actions: ['iot:CreateJob', 'iot:DescribeJobExecution'],
    resources: [iotArn(`job/${jobIdPrefix}-*`), thingArn('*')],
  });
}

/**
 * A function fed by an SQS event source mapping: Lambda polls the queue
 * and invokes it synchronously, so a Lambda dead-letter queue or an
 * on-failure destination would never receive anything (SQS mappings do
 * not support on-failure destinations). A message that keeps failing goes
 * to the queue's own dead-letter queue by its redrive policy.
 */
export function acknowledgeQueueConsumer(fn: UpkeepFunction, queue: string) {
  const reason =
    `Invoked synchronously by the SQS event source mapping of the ${queue} ` +
    "queue; failures go to that queue's dead-letter queue by its redrive " +
    'policy, which SQS mappings use instead of destinations.';
  fn.acknowledgeNoDeadLetters(reason);
  for (const child of fn.fn.node.findAll()) {
    if (child.node.id.startsWith('SqsEventSource')) {
      Validations.of(child).acknowledge({
        id: 'Serverless-LambdaEventSourceMappingDestination',
        reason,
      });
    }
  }
}
