import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../core/table.js';
import { backendDefaults } from '../../local/backend.js';
import type { LocalStack } from '../../local/stack.js';
import type { DevicePayloads } from './payloads.js';

export interface StoreCheck {
  /** REPORT items found for the benchmark's devices. */
  storedReports: number;
  /** Sent reports without a REPORT item. */
  missing: number;
  /** REPORT items of reports that were never sent. */
  unexpected: number;
  /** Messages left on each queue (visible + in flight + delayed). */
  queues: Record<string, number>;
  /** Empty when every report is stored once and every queue is empty. */
  problems: string[];
}

/**
 * Reads the table back: every sent report id must have its REPORT item
 * and no other may exist; the ingest queue, its dead-letter queue and the
 * rule error queue must be empty.
 */
export async function verifyStored(
  stack: Pick<LocalStack, 'dynamoEndpoint' | 'sqsEndpoint' | 'queueUrls'>,
  fleet: DevicePayloads[],
): Promise<StoreCheck> {
  const common = {
    region: backendDefaults.region,
    credentials: backendDefaults.credentials,
  };
  const dynamo = new DynamoDBClient({
    ...common,
    endpoint: stack.dynamoEndpoint,
  });
  const sqs = new SQSClient({ ...common, endpoint: stack.sqsEndpoint });
  try {
    const doc = DynamoDBDocumentClient.from(dynamo);
    const stored = new Set<string>();
    for (const device of fleet) {
      for (const id of await reportIds(doc, device.thingName)) stored.add(id);
    }
    const sentIds = new Set(
      fleet.flatMap((d) => d.reports.map((r) => r.reportId)),
    );
    const missing = [...sentIds].filter((id) => !stored.has(id)).length;
    const unexpected = [...stored].filter((id) => !sentIds.has(id)).length;
    const queues = await settledDepths(sqs, stack.queueUrls);
    return {
      storedReports: stored.size,
      missing,
      unexpected,
      queues,
      problems: problemsOf(missing, unexpected, queues),
    };
  } finally {
    dynamo.destroy();
    sqs.destroy();
  }
}

async function reportIds(doc: DynamoDBDocumentClient, thingName: string) {
  const prefix = keys.report('');
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: backendDefaults.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.device(thingName),
          ':prefix': prefix,
        },
        ProjectionExpression: 'sk',
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      ids.push(String(item.sk).slice(prefix.length));
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return ids;
}

/** A batch is deleted just after its last line is printed: allow for it. */
const SETTLE_MS = 5_000;

async function settledDepths(sqs: SQSClient, urls: Record<string, string>) {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const depths = await queueDepths(sqs, urls);
    const empty = Object.values(depths).every((d) => d === 0);
    if (empty || Date.now() > deadline) return depths;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function queueDepths(sqs: SQSClient, urls: Record<string, string>) {
  const depths: Record<string, number> = {};
  for (const [name, url] of Object.entries(urls)) {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    depths[name] =
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0);
  }
  return depths;
}

function problemsOf(
  missing: number,
  unexpected: number,
  queues: Record<string, number>,
) {
  const problems: string[] = [];
  if (missing > 0) problems.push(`${missing} sent reports not in the table`);
  if (unexpected > 0) {
    problems.push(`${unexpected} REPORT items that were never sent`);
  }
  for (const [name, depth] of Object.entries(queues)) {
    if (depth > 0) problems.push(`${depth} messages left on queue ${name}`);
  }
  return problems;
}
