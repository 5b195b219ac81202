import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../core/table.js';
import { startDynalite } from '../../local/dynamo/dynalite.js';
import { ensureTable } from '../../local/dynamo/ensure-table.js';
import { startSqs } from '../../local/sqs/test-helpers.js';
import { createClients } from '../lib/clients.js';
import type { IngestConfig } from '../lib/config.js';

export const TABLE_NAME = 'upkeep-test';

/**
 * Test support: dynalite and the SQS stand-in on ephemeral ports, the
 * table, an ingest queue with its DLQ, and SDK clients aimed at them.
 */
export async function startStack(
  cleanups: (() => unknown)[],
  options: { stateDir?: string } = {},
) {
  const { stateDir } = options;
  const dynamo = await startDynalite({
    dataDir: stateDir && join(stateDir, 'dynamo'),
  });
  cleanups.push(() => dynamo.close());
  const { standIn, client: sqsClient } = await startSqs(cleanups, {
    stateDir: stateDir && join(stateDir, 'sqs'),
  });
  const clients = createClients({
    region: 'us-east-1',
    endpoints: { dynamodb: dynamo.endpoint, sqs: standIn.endpoint },
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  cleanups.push(() => {
    clients.dynamo.destroy();
    clients.sqs.destroy();
  });
  await ensureTable(clients.dynamo, TABLE_NAME);

  const dlqUrl = standIn.createQueue('ingest-dlq');
  const ingestUrl = standIn.createQueue('ingest', {
    visibilityTimeoutSeconds: 1,
    deadLetterQueue: { name: 'ingest-dlq', maxReceiveCount: 3 },
  });
  const config: IngestConfig = {
    tableName: TABLE_NAME,
    region: 'us-east-1',
    endpoints: {},
    serviceName: 'upkeep-ingest',
    logLevel: 'SILENT',
    deadLetterQueueUrl: dlqUrl,
    autoRegisterClientId: 'local',
    reportRetentionDays: 90,
  };

  return {
    standIn,
    clients,
    config,
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    publish: (body: string) =>
      sqsClient.send(
        new SendMessageCommand({ QueueUrl: ingestUrl, MessageBody: body }),
      ),
    deadLetters: async () => {
      const out = await sqsClient.send(
        new ReceiveMessageCommand({
          QueueUrl: dlqUrl,
          MaxNumberOfMessages: 10,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
          VisibilityTimeout: 0,
        }),
      );
      return out.Messages ?? [];
    },
    getItem: async (pk: string, sk: string) =>
      (
        await clients.doc.send(
          new GetCommand({ TableName: TABLE_NAME, Key: { pk, sk } }),
        )
      ).Item,
    deviceItems: async (thing: string) =>
      (
        await clients.doc.send(
          new QueryCommand({
            TableName: TABLE_NAME,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': keys.device(thing) },
          }),
        )
      ).Items ?? [],
    /** Resolves once the ingest queue holds nothing, visible or not. */
    idle: () => standIn.stats('ingest'),
  };
}
