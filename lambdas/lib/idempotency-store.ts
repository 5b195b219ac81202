import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { keys, TABLE } from '../../core/table.js';

/**
 * Powertools' DynamoDB persistence layer on the single table, with the key
 * layout core/table.ts documents: pk = IDEMPOTENCY#<hashed key>,
 * sk = IDEMPOTENCY. The stock layer with a sort key would put every record
 * under one static partition key, one hot partition for the whole fleet.
 * Records expire through the table's TTL attribute.
 */
export class TableIdempotencyStore extends DynamoDBPersistenceLayer {
  constructor(client: DynamoDBClient, tableName: string) {
    super({
      tableName,
      awsSdkV3Client: client,
      keyAttr: TABLE.partitionKey,
      expiryAttr: TABLE.timeToLiveAttribute,
    });
  }

  protected override getKey(idempotencyKey: string) {
    return {
      [TABLE.partitionKey]: { S: keys.idempotency(idempotencyKey) },
      [TABLE.sortKey]: { S: keys.idempotencySort() },
    };
  }
}
