import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startDynalite } from './dynalite.js';
import { ensureTable } from './ensure-table.js';
import { startTtlSweeper } from './ttl-sweeper.js';

const TABLE_NAME = 'upkeep-test';
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-dynamo-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(dataDir?: string) {
  const dynamo = await startDynalite({ dataDir });
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return { dynamo, client };
}

function item(pk: string, sk: string, expiresAt?: number) {
  return {
    pk: { S: pk },
    sk: { S: sk },
    ...(expiresAt === undefined ? {} : { expiresAt: { N: `${expiresAt}` } }),
  };
}

async function exists(client: DynamoDBClient, pk: string, sk: string) {
  const out = await client.send(
    new GetItemCommand({ TableName: TABLE_NAME, Key: item(pk, sk) }),
  );
  return out.Item !== undefined;
}

describe('startDynalite and ensureTable', () => {
  it('listens on loopback and creates the table with gsi1', async () => {
    const { dynamo, client } = await start();
    cleanups.push(() => dynamo.close());

    const created = await ensureTable(client, TABLE_NAME);
    const again = await ensureTable(client, TABLE_NAME);
    const { Table } = await client.send(
      new DescribeTableCommand({ TableName: TABLE_NAME }),
    );

    expect(dynamo.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect([created, again]).toEqual([true, false]);
    expect(Table?.KeySchema?.map((k) => k.AttributeName)).toEqual(['pk', 'sk']);
    expect(Table?.GlobalSecondaryIndexes?.[0]?.IndexName).toBe('gsi1');
  });

  it('keeps table and items across a restart', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    await ensureTable(first.client, TABLE_NAME);
    await first.client.send(
      new PutItemCommand({
        TableName: TABLE_NAME,
        Item: item('DEVICE#lap-1', 'META'),
      }),
    );
    await first.dynamo.close();

    const second = await start(dataDir);
    cleanups.push(() => second.dynamo.close());
    const created = await ensureTable(second.client, TABLE_NAME);

    expect(created).toBe(false);
    expect(await exists(second.client, 'DEVICE#lap-1', 'META')).toBe(true);
  });
});

describe('TtlSweeper', () => {
  it('deletes items whose expiresAt has passed', async () => {
    const { dynamo, client } = await start();
    cleanups.push(() => dynamo.close());
    await ensureTable(client, TABLE_NAME);
    const nowMs = 1_800_000_000_000;
    const nowSeconds = nowMs / 1000;
    const rows = [
      item('DEVICE#a', 'REPORT#old', nowSeconds - 1),
      item('DEVICE#a', 'REPORT#new', nowSeconds + 60),
      item('DEVICE#a', 'META'),
    ];
    for (const Item of rows) {
      await client.send(new PutItemCommand({ TableName: TABLE_NAME, Item }));
    }
    const sweeper = startTtlSweeper(client, TABLE_NAME, { now: () => nowMs });
    cleanups.push(() => sweeper.stop());

    const deleted = await sweeper.sweep();

    expect(deleted).toBe(1);
    expect(await exists(client, 'DEVICE#a', 'REPORT#old')).toBe(false);
    expect(await exists(client, 'DEVICE#a', 'REPORT#new')).toBe(true);
    expect(await exists(client, 'DEVICE#a', 'META')).toBe(true);
  });
});
