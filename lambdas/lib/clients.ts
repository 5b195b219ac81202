import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IoTClient } from '@aws-sdk/client-iot';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type ClientOptions,
  clientConfig,
  createTableClients,
} from './table-clients.js';

export type { ClientOptions } from './table-clients.js';

/** The SDK clients the handlers use; build them once per container. */
export interface AwsClients {
  dynamo: DynamoDBClient;
  /** Document client over `dynamo` (plain JS values, undefined dropped). */
  doc: DynamoDBDocumentClient;
  sqs: SQSClient;
  /** The IoT control plane (CreateJob, DescribeJobExecution). */
  iot: IoTClient;
}

/**
 * Every client, built now. A function that seldom sends to SQS or IoT
 * (ingest) builds them on first use instead: lazy-clients.ts.
 */
export function createClients(options: ClientOptions): AwsClients {
  const sqs = new SQSClient(clientConfig(options, options.endpoints?.sqs));
  const iot = new IoTClient(clientConfig(options, options.endpoints?.iot));
  return { ...createTableClients(options), sqs, iot };
}
