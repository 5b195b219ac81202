import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, type UpkeepEvent } from '../../../core/events.js';
import { type ClientSource, clientOf } from '../lazy-client.js';

/**
 * PutEvents to the deployment's bus: one entry per event, `source` upkeep,
 * `detail-type` the event type, the detail as JSON, and the device as the
 * resource so that rules and archives can filter on it. Resolves the ids
 * EventBridge did not accept (PutEvents succeeds as a call even when some
 * entries fail; https://docs.aws.amazon.com/eventbridge/latest/APIReference/
 * API_PutEvents.html). The EventBridge package loads with the first call.
 */
export class EventPublisher {
  readonly #client: ClientSource<EventBridgeClient>;
  readonly #busName: string;

  constructor(client: ClientSource<EventBridgeClient>, busName: string) {
    this.#client = client;
    this.#busName = busName;
  }

  get busName() {
    return this.#busName;
  }

  /** Up to 10 events per call, as PutEvents allows. */
  async publish(events: UpkeepEvent[]): Promise<Map<string, string>> {
    const failed = new Map<string, string>();
    const { PutEventsCommand } = await import('@aws-sdk/client-eventbridge');
    const client = await clientOf(this.#client);
    for (let i = 0; i < events.length; i += 10) {
      const batch = events.slice(i, i + 10);
      const output = await client.send(
        new PutEventsCommand({
          Entries: batch.map((event) => ({
            EventBusName: this.#busName,
            Source: EVENT_SOURCE,
            DetailType: event.type,
            Detail: JSON.stringify(event),
            Time: new Date(event.occurredAt),
            Resources: [`upkeep:device/${event.device.thingName}`],
          })),
        }),
      );
      output.Entries?.forEach((entry, index) => {
        const event = batch[index];
        if (event && entry.ErrorCode) {
          failed.set(event.id, `${entry.ErrorCode}: ${entry.ErrorMessage}`);
        }
      });
    }
    return failed;
  }
}
