import {
  type DynamoDBDocumentClient,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { applied } from './conditional.js';
import type { FindingKey } from './finding-lifecycle.js';

/**
 * What a technician does to a finding through the API. Each is one
 * conditional update that names the state it starts from, so that it
 * cannot undo what ingest or the remedy loop wrote meanwhile:
 *
 *   acknowledge   any unresolved finding; sets `acknowledgement`
 *   suppress      any unresolved finding → suppressed, with `suppression`
 *                 (a job in flight ends; the loop starts no further step,
 *                 as its writes require `remediating`)
 *   reopen        suppressed whose suppression expired → open, so that the
 *                 next report of its check starts the remedy chain again
 */
export interface Acknowledgement {
  by: string;
  at: string;
  note?: string;
}

export interface Suppression {
  by: string;
  at: string;
  reason: string;
  expiresAt: string;
}

export class FindingActions {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#table = tableName;
  }

  acknowledge(key: FindingKey, acknowledgement: Acknowledgement) {
    return this.#update(key, {
      UpdateExpression: 'SET acknowledgement = :ack',
      ConditionExpression: 'attribute_exists(pk) AND #status <> :resolved',
      ExpressionAttributeValues: {
        ':ack': acknowledgement,
        ':resolved': 'resolved',
      },
    });
  }

  suppress(key: FindingKey, suppression: Suppression) {
    return this.#update(key, {
      UpdateExpression: 'SET #status = :suppressed, suppression = :s',
      ConditionExpression: 'attribute_exists(pk) AND #status <> :resolved',
      ExpressionAttributeValues: {
        ':suppressed': 'suppressed',
        ':s': suppression,
        ':resolved': 'resolved',
      },
    });
  }

  reopenExpired(key: FindingKey, expiresAt: string) {
    return this.#update(key, {
      UpdateExpression: 'SET #status = :open REMOVE suppression',
      ConditionExpression:
        '#status = :suppressed AND suppression.expiresAt = :expiresAt',
      ExpressionAttributeValues: {
        ':open': 'open',
        ':suppressed': 'suppressed',
        ':expiresAt': expiresAt,
      },
    });
  }

  #update(
    key: FindingKey,
    input: {
      UpdateExpression: string;
      ConditionExpression: string;
      ExpressionAttributeValues: Record<string, unknown>;
    },
  ) {
    return applied(
      this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: key,
          ExpressionAttributeNames: { '#status': 'status' },
          ...input,
        }),
      ),
    );
  }
}
