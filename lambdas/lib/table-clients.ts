import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CommonConfig } from './config.js';

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

/** The constructor settings of an SDK client, with its endpoint override. */
export function clientConfig(options: ClientOptions, endpoint?: string) {
  return {
    region: options.region,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(endpoint ? { endpoint } : {}),
  };
}

/** The table's clients: every function reads or writes it. */
export function createTableClients(options: ClientOptions) {
  const dynamo = new DynamoDBClient(
    clientConfig(options, options.endpoints?.dynamodb),
  );
  const doc = DynamoDBDocumentClient.from(dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { dynamo, doc };
}
