import { billedSteps } from '../../core/index.js';

/**
 * What the simulated fleet made AWS count: IoT messages in 5 KB steps and
 * their bytes, connections and connection-minutes, shadow operations, rule
 * triggers, SQS requests, Lambda invocations and their time, Scheduler
 * invocations; and what the protocol did (redeliveries, dropped cycle
 * messages, reports produced per window).
 */
export const IOT_STEP_BYTES = 5 * 1024;

export class Meter {
  iotMessages = 0;
  /** Data-plane Publish requests of the cycles function (per group). */
  groupPublishMessages = 0;
  iotBytes = 0;
  connections = 0;
  connectionMinutes = 0;
  shadowOperations = 0;
  rulesTriggered = 0;
  ruleActions = 0;
  sqsRequests = 0;
  ingestMessages = 0;
  presenceEvents = 0;
  cyclesInvocations = 0;
  cyclesMs = 0;
  schedulerInvocations = 0;
  /** Messages a device sent again after a PUBACK was lost. */
  redelivered = 0;
  cycleMessagesDelivered = 0;
  /** Cycle messages for a device whose session had expired. */
  cycleMessagesDropped = 0;
  /** Reports the agents built, and those for a window+check built before. */
  reportsProduced = 0;
  /** JSON bytes of the reports built (table storage). */
  reportBytes = 0;
  duplicateRuns = 0;
  readonly #produced = new Set<string>();
  readonly #connectsPerMinute = new Map<number, number>();

  /** A metered MQTT message (PUBLISH either way, CONNECT, SUBSCRIBE...). */
  message(topic: string, payloadBytes: number) {
    const bytes = Buffer.byteLength(topic) + payloadBytes;
    this.iotMessages += billedSteps(bytes, IOT_STEP_BYTES);
    this.iotBytes += bytes;
  }

  /**
   * A data-plane Publish to a group topic: metered once per group, so a
   * cost of the deployment, not of each device.
   */
  groupPublish(topic: string, payloadBytes: number) {
    const bytes = Buffer.byteLength(topic) + payloadBytes;
    this.groupPublishMessages += billedSteps(bytes, IOT_STEP_BYTES);
  }

  /** A PUBACK the device sends (MQTT 3.1.1: one 5 KB message). */
  deviceAck() {
    this.iotMessages += 1;
  }

  connected(at: number) {
    this.connections++;
    const minute = Math.floor(at / 60_000);
    this.#connectsPerMinute.set(
      minute,
      (this.#connectsPerMinute.get(minute) ?? 0) + 1,
    );
  }

  /** Billed in whole minutes per connection. */
  disconnected(since: number, until: number) {
    this.connectionMinutes += Math.max(1, Math.ceil((until - since) / 60_000));
  }

  /** A lifecycle event into its rule and the presence function. */
  presence() {
    this.presenceEvents++;
    this.rulesTriggered++;
    this.ruleActions++;
  }

  /** A device message through the ingest rule into the queue. */
  ingested() {
    this.ingestMessages++;
    this.rulesTriggered++;
    this.ruleActions++;
    this.sqsRequests++;
  }

  reportProduced(thing: string, cycleId: string, check: string) {
    this.reportsProduced++;
    const key = `${thing}\n${cycleId}\n${check}`;
    if (this.#produced.has(key)) this.duplicateRuns++;
    else this.#produced.add(key);
  }

  /** Plain counts, to merge the meters of several shards. */
  counts(): MeterCounts {
    const numbers = Object.fromEntries(
      Object.entries(this).filter(([, v]) => typeof v === 'number'),
    ) as Omit<MeterCounts, 'connectsPerMinute'>;
    return { ...numbers, connectsPerMinute: [...this.#connectsPerMinute] };
  }
}

/**
 * A meter's numbers; `connectsPerMinute` is [minute, connections] so that
 * shards can be added minute by minute before the fleet's peak is taken.
 */
export type MeterCounts = {
  [K in keyof Meter as Meter[K] extends number ? K : never]: number;
} & { connectsPerMinute: [number, number][] };

/** The most connections opened in any one minute of the fleet. */
export function maxReconnectBurst(counts: readonly MeterCounts[]): number {
  const perMinute = new Map<number, number>();
  for (const c of counts) {
    for (const [minute, n] of c.connectsPerMinute) {
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + n);
    }
  }
  return Math.max(0, ...perMinute.values());
}
