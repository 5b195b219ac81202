import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type ReturnValue,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * Item calls with plain JS values in and out, for the ingest hot path. They
 * marshal with util-dynamodb and send the low-level command. The document
 * client's own commands do the same through extra middleware that walks
 * every input and output once more; on ingest that walk cost about a fifth
 * of each request's CPU (bench/results/ingest-latest.md).
 *
 * They take the document client the repositories already hold: it shares
 * its configuration and middleware stack with the client it wraps, so a
 * low-level command sent through it is sent exactly as by that client.
 */
type Values = Record<string, unknown>;
type Names = Record<string, string>;

interface Expressions {
  TableName: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Names;
  ExpressionAttributeValues?: Values;
  ReturnValues?: ReturnValue;
}

/** Same marshalling as the document client of lambdas/lib/clients.ts. */
const MARSHALL = { removeUndefinedValues: true } as const;

export async function putItem(
  doc: DynamoDBDocumentClient,
  input: Expressions & { Item: object },
) {
  const { Item, ExpressionAttributeValues, ...rest } = input;
  const out = await low(doc).send(
    new PutItemCommand({
      ...rest,
      Item: marshall(Item, MARSHALL),
      ...values(ExpressionAttributeValues),
    }),
  );
  return { Attributes: plain(out.Attributes) };
}

export async function updateItem(
  doc: DynamoDBDocumentClient,
  input: Expressions & { Key: Values; UpdateExpression: string },
) {
  const { Key, ExpressionAttributeValues, ...rest } = input;
  const out = await low(doc).send(
    new UpdateItemCommand({
      ...rest,
      Key: marshall(Key, MARSHALL),
      ...values(ExpressionAttributeValues),
    }),
  );
  return { Attributes: plain(out.Attributes) };
}

export async function getItem(
  doc: DynamoDBDocumentClient,
  input: { TableName: string; Key: Values; ConsistentRead?: boolean },
) {
  const out = await low(doc).send(
    new GetItemCommand({ ...input, Key: marshall(input.Key, MARSHALL) }),
  );
  return { Item: plain(out.Item) };
}

export async function queryItems(
  doc: DynamoDBDocumentClient,
  input: Expressions & {
    KeyConditionExpression: string;
    FilterExpression?: string;
    ConsistentRead?: boolean;
    ExclusiveStartKey?: Values;
  },
) {
  const { ExclusiveStartKey, ExpressionAttributeValues, ...rest } = input;
  const out = await low(doc).send(
    new QueryCommand({
      ...rest,
      ...values(ExpressionAttributeValues),
      ...(ExclusiveStartKey
        ? { ExclusiveStartKey: marshall(ExclusiveStartKey, MARSHALL) }
        : {}),
    }),
  );
  return {
    Items: (out.Items ?? []).map((item) => unmarshall(item)),
    LastEvaluatedKey: plain(out.LastEvaluatedKey),
  };
}

function low(doc: DynamoDBDocumentClient) {
  return doc as unknown as DynamoDBClient;
}

function values(expressionValues: Values | undefined) {
  return expressionValues
    ? { ExpressionAttributeValues: marshall(expressionValues, MARSHALL) }
    : {};
}

function plain(item: Record<string, AttributeValue> | undefined) {
  return item ? unmarshall(item) : undefined;
}
