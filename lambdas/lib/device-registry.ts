import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Hello } from '../../core/schemas/hello.js';
import type { Report } from '../../core/schemas/report.js';
import { keys } from '../../core/table.js';
import { applied, whenApplied } from './conditional.js';
import { getItem, putItem, updateItem } from './item-io.js';
import { clientItem, type MetaItem, metaItem } from './items.js';
import {
  factAttributes,
  helloFact,
  lastSeenFact,
  type MetaFact,
  metaUpdate,
  volumesFact,
} from './meta-facts.js';

/**
 * Device registration and what a device says about itself (META). Every
 * write is conditional so that a retry, or an older message arriving late,
 * changes nothing.
 */
export class DeviceRegistry {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#table = tableName;
  }

  async getMeta(thingName: string): Promise<MetaItem | undefined> {
    const { Item } = await getItem(this.#doc, {
      TableName: this.#table,
      Key: { pk: keys.device(thingName), sk: keys.meta() },
      ConsistentRead: true,
    });
    return Item as MetaItem | undefined;
  }

  /**
   * Registers a device under a client unless it is registered already;
   * returns the stored registration (the first one wins a race). `facts`
   * go into a new registration, or onto the one that won, each on its
   * own condition.
   */
  async register(
    thingName: string,
    clientId: string,
    atMs: number,
    facts: readonly MetaFact[] = [],
  ): Promise<MetaItem> {
    const at = new Date(atMs).toISOString();
    await this.#putOnce(clientItem(clientId, at));
    const item = {
      ...factAttributes(facts),
      ...metaItem(thingName, clientId, at),
    } as MetaItem;
    if (await this.#putOnce(item)) return item;

    await this.recordEach(thingName, facts);
    const meta = await this.getMeta(thingName);
    if (!meta) throw new Error(`registration of ${thingName} not readable`);
    return meta;
  }

  /**
   * Records what one message says about its device in one request and
   * returns the registration as stored after it. Undefined when the device
   * is not registered, or when a fact is not newer than the stored one (a
   * late or repeated message): nothing changed then, and the caller reads
   * the registration and records the facts one by one.
   */
  async touch(
    thingName: string,
    facts: readonly MetaFact[],
  ): Promise<MetaItem | undefined> {
    const result = await whenApplied(
      updateItem(this.#doc, {
        TableName: this.#table,
        ...metaUpdate(thingName, facts),
        ReturnValues: 'ALL_NEW',
      }),
    );
    return result?.Attributes as MetaItem | undefined;
  }

  /** Each fact on its own: those older than the stored ones change nothing. */
  async recordEach(thingName: string, facts: readonly MetaFact[]) {
    for (const fact of facts) await this.#record(thingName, fact);
  }

  /** Moves lastSeen forward only; an older message leaves it alone. */
  touchLastSeen(thingName: string, receivedAtMs: number) {
    return this.#record(thingName, lastSeenFact(receivedAtMs));
  }

  /**
   * Keeps the latest disk-space figures on the registration item
   * (meta-facts.ts); an older report leaves them alone.
   */
  recordVolumes(thingName: string, report: Report) {
    const fact = volumesFact(report);
    return fact ? this.#record(thingName, fact) : Promise.resolve(false);
  }

  /** Stores the hello unless a later one (by broker time) is stored. */
  recordHello(thingName: string, hello: Hello, receivedAtMs: number) {
    return this.#record(thingName, helloFact(hello, receivedAtMs));
  }

  #putOnce(item: object) {
    return applied(
      putItem(this.#doc, {
        TableName: this.#table,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  #record(thingName: string, fact: MetaFact) {
    return applied(
      updateItem(this.#doc, {
        TableName: this.#table,
        ...metaUpdate(thingName, [fact]),
      }),
    );
  }
}
