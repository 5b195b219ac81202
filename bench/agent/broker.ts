import { EventEmitter, once } from 'node:events';
import {
  type DeviceChannel,
  parseDeviceTopic,
  TOPIC_PREFIX,
} from '../../core/index.js';
import {
  createLocalBroker,
  type LocalBroker,
} from '../../local/broker/broker.js';
import type { BrokerTlsOptions } from '../../local/broker/broker-tls.js';
import { AgentBenchError } from './errors.js';

/** A device message as the broker handed it on. */
export interface Arrival {
  thingName: string;
  channel: DeviceChannel;
  payload: Buffer;
  /** performance.now() of this process when it arrived, ms. */
  atMs: number;
}

/**
 * The project's broker (aedes with the device policy) on a free loopback
 * port, and a way to wait for what a device published.
 */
export interface BenchBroker {
  url: string;
  /** The mTLS listener's port, when it was started with one. */
  tlsPort?: number;
  /** Resolves with the next message of `thingName` on `channel`. */
  next(
    thingName: string,
    channel: DeviceChannel,
    timeoutMs: number,
  ): Promise<Arrival>;
  /** Every message of `thingName` on `channel` from now on, as they come. */
  watch(thingName: string, channel: DeviceChannel): Arrival[];
  close(): Promise<void>;
}

export async function startBenchBroker(
  tls?: BrokerTlsOptions,
): Promise<BenchBroker> {
  const broker: LocalBroker = await createLocalBroker({
    port: 0,
    ...(tls ? { tls } : {}),
  });
  const arrivals = new EventEmitter();
  await broker.subscribeInternal(`${TOPIC_PREFIX}/devices/+/+`, (message) => {
    const parsed = parseDeviceTopic(message.topic);
    if (!parsed) return;
    const arrival = { ...parsed, payload: message.payload, atMs: now() };
    arrivals.emit(`${parsed.thingName}/${parsed.channel}`, arrival);
  });

  return {
    url: broker.url,
    ...(broker.tlsPort ? { tlsPort: broker.tlsPort } : {}),
    next: (thingName, channel, timeoutMs) =>
      nextArrival(arrivals, `${thingName}/${channel}`, timeoutMs),
    watch: (thingName, channel) => {
      const seen: Arrival[] = [];
      arrivals.on(`${thingName}/${channel}`, (a: Arrival) => seen.push(a));
      return seen;
    },
    close: () => broker.close(),
  };
}

async function nextArrival(
  arrivals: EventEmitter,
  event: string,
  timeoutMs: number,
): Promise<Arrival> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const [arrival] = await once(arrivals, event, { signal });
    return arrival as Arrival;
  } catch (cause) {
    throw new AgentBenchError(
      'no-message',
      `no ${event} message within ${timeoutMs} ms`,
      { cause },
    );
  }
}

function now() {
  return performance.now();
}
