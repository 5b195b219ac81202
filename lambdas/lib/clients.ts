import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IoTClient } from '@aws-sdk/client-iot';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CommonConfig } from './config.js';

/** The SDK clients the handlers use; build them once per container. */
export interface AwsClients {
  dynamo: DynamoDBClient;
  /** Document client over `dynamo` (plain JS values, undefined dropped). */
  doc: DynamoDBDocumentClient;
  sqs: SQSClient;
  /** The IoT control plane (CreateJob, DescribeJobExecution). */
  iot: IoTClient;
}

export interface ClientOptions {
  region: string;
  /** Endpoint overrides; local mode aims them at dynalite and the stand-in. */
  endpoints?: CommonConfig['endpoints'];
  /**
   * Static credentials (local mode). @default the SDK's provider chain
   * (the Lambda role in AWS)
   */
  credentials?: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
  };
}

export function createClients(options: ClientOptions): AwsClients {
  const common = {
    region: options.region,
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  const dynamo = new DynamoDBClient({
    ...common,
    ...(options.endpoints?.dynamodb
      ? { endpoint: options.endpoints.dynamodb }
      : {}),
  });
  const doc = DynamoDBDocumentClient.from(dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const sqs = new SQSClient({
    ...common,
    ...(options.endpoints?.sqs ? { endpoint: options.endpoints.sqs } : {}),
  });
  const iot = new IoTClient({
    ...common,
    ...(options.endpoints?.iot ? { endpoint: options.endpoints.iot } : {}),
  });

  return { dynamo, doc, sqs, iot };
}
