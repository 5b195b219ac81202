import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { TABLE } from '../../core/table.js';
import { LocalDynamoError } from './errors.js';

const defaults = {
  /** How long to wait for the table to become ACTIVE, in ms. */
  activeTimeoutMs: 10_000,
  /** Pause between DescribeTable calls while waiting, in ms. */
  pollMs: 50,
} as const;

/** The CreateTable input that core's TABLE describes (on-demand billing). */
export function createTableInput(tableName: string) {
  const keyNames = [
    TABLE.partitionKey,
    TABLE.sortKey,
    ...TABLE.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];

  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: keyNames.map((name) => ({
      AttributeName: name,
      AttributeType: 'S' as const,
    })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: TABLE.indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
  };
}

/**
 * Creates the table unless it exists, then waits until it is ACTIVE.
 * Returns true when this call created it. dynalite has no TTL: pair it with
 * the sweeper in ttl-sweeper.ts.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string) {
  let created = true;
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    created = false;
  }

  await waitUntilActive(client, tableName);
  return created;
}

async function waitUntilActive(client: DynamoDBClient, tableName: string) {
  const deadline = Date.now() + defaults.activeTimeoutMs;
  while (Date.now() < deadline) {
    const { Table } = await client.send(
      new DescribeTableCommand({ TableName: tableName }),
    );
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, defaults.pollMs));
  }
  throw new LocalDynamoError(
    'table-not-active',
    `table ${tableName} was not ACTIVE within ${defaults.activeTimeoutMs} ms`,
  );
}
