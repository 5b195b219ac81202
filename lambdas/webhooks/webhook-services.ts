import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { WebhookSettings } from '../lib/events/webhook-settings.js';
import { readSigningSecret } from '../lib/signing-secret.js';
import { DeliveryLog } from './delivery-log.js';
import { SecretBox } from './secret-box.js';
import { SubscriptionStore } from './subscriptions.js';

/**
 * What the API's webhook routes use: the subscription store (its secret
 * box needs the master secret, read once, on first use) and the delivery
 * log. Build one per container.
 */
export class WebhookServices {
  readonly settings: WebhookSettings;
  readonly log: DeliveryLog;
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;
  #store: Promise<SubscriptionStore> | undefined;

  constructor(
    doc: DynamoDBDocumentClient,
    tableName: string,
    settings: WebhookSettings,
  ) {
    this.#doc = doc;
    this.#table = tableName;
    this.settings = settings;
    this.log = new DeliveryLog(doc, tableName);
  }

  subscriptions(): Promise<SubscriptionStore> {
    this.#store ??= readSigningSecret(this.settings.keySecret).then(
      (master) =>
        new SubscriptionStore(this.#doc, this.#table, new SecretBox(master)),
    );
    this.#store.catch(() => {
      this.#store = undefined;
    });
    return this.#store;
  }
}
