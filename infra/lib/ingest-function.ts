import { Duration } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { DataTable } from './data-table.js';
import { paths } from './paths.js';
import { acknowledgeQueueConsumer, type RemedySender } from './remedies.js';
import type { LogLevel } from './settings.js';
import { tableReadWriteStatement } from './table-access.js';
import { UpkeepFunction } from './upkeep-function.js';

export const ingestDefaults = {
  /** Function timeout; the ingest queue's visibility timeout is 6x this. */
  timeout: Duration.seconds(30),
  /** MB; arm64 at 512 MB parses and writes a batch of 10 comfortably. */
  memorySize: 512,
  /** Messages per invocation: the SQS maximum without a batching window. */
  batchSize: 10,
};

export interface IngestFunctionProps {
  table: DataTable;
  queue: IQueue;
  deadLetterQueue: IQueue;
  logLevel: LogLevel;
  logRetention: RetentionDays;
  reportRetentionDays: number;
  /** Sending remedy jobs for new findings (remedies.ts). @default none */
  remedies?: RemedySender;
}

/**
 * The ingest function: consumes the ingest queue, reports partial batch
 * failures, writes the table, and dead-letters permanently bad messages
 * itself (docs/architecture.md).
 */
export class IngestFunction extends UpkeepFunction {
  constructor(scope: Construct, id: string, props: IngestFunctionProps) {
    super(scope, id, {
      entry: paths.ingestHandler,
      serviceName: 'upkeep-ingest',
      memorySize: ingestDefaults.memorySize,
      timeout: ingestDefaults.timeout,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      environment: {
        TABLE_NAME: props.table.table.tableName,
        DEAD_LETTER_QUEUE_URL: props.deadLetterQueue.queueUrl,
        REPORT_RETENTION_DAYS: String(props.reportRetentionDays),
        ...props.remedies?.environment,
      },
      paramsAndSecrets: props.remedies?.paramsAndSecrets,
    });

    this.role.addToPolicy(tableReadWriteStatement(props.table.arns));
    this.role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['sqs:SendMessage'],
        resources: [props.deadLetterQueue.queueArn],
      }),
    );

    this.fn.addEventSource(
      new SqsEventSource(props.queue, {
        batchSize: ingestDefaults.batchSize,
        reportBatchItemFailures: true,
      }),
    );
    acknowledgeQueueConsumer(this, 'ingest');
  }
}
