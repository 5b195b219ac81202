import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:net';
import { Aedes, type AedesPublishPacket } from 'aedes';
import {
  assertLoopback,
  assertPort,
  closeServer,
  listen,
  urlHost,
} from '../net/listen.js';
import { type BrokerTlsOptions, startTlsListener } from './broker-tls.js';
import type { DenyReason } from './policy.js';
import { type Grants, policyHooks } from './policy-hooks.js';

export const brokerDefaults = {
  /** Loopback only: the stand-in has no TLS or credentials by default. */
  host: '127.0.0.1',
  /** MQTT over TCP. 1883 is often taken by a system broker. */
  port: 18_830,
  /** AWS IoT accepts client ids of up to 128 characters (aedes: 23). */
  maxClientIdLength: 128,
} as const;

export interface LocalBrokerOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 18830 */
  port?: number;
  /** Clock of the internal path, ms since the epoch. @default Date.now */
  now?: () => number;
  /**
   * The mTLS listener for devices with certificates (broker-tls.ts).
   * @default none: plain MQTT only
   */
  tls?: BrokerTlsOptions;
}

/** A refused connect, publish or subscribe, as the IoT policy would. */
export interface DeniedEvent {
  action: 'connect' | 'publish' | 'subscribe';
  clientId: string;
  /** The thing it acted as: the certificate's thing on mTLS. */
  thingName?: string;
  /** mTLS: the IoT certificate id the client presented. */
  certificateId?: string;
  topic?: string;
  reason: DenyReason;
  /** A failed TLS handshake: the peer address and the TLS error. */
  remote?: string;
  detail?: string;
}

/** A publish as an in-process service (the rule engine) receives it. */
export interface InternalMessage {
  topic: string;
  payload: Buffer;
  /** The publishing client, undefined for messages the broker made. */
  clientId: string | undefined;
  /** When the broker handed it on, ms since the epoch. */
  receivedAt: number;
}

export type InternalHandler = (message: InternalMessage) => void;

/**
 * A device connected or went away, as IoT Core's lifecycle events say it
 * (`$aws/events/presence/...`). aedes tells a DISCONNECT packet from a lost
 * connection, which is all the reasons below need.
 * https://docs.aws.amazon.com/iot/latest/developerguide/life-cycle-events.html
 */
export interface PresenceEvent {
  eventType: 'connected' | 'disconnected';
  clientId: string;
  /** ms since the epoch */
  timestamp: number;
  /** Disconnects only. */
  clientInitiatedDisconnect?: boolean;
  disconnectReason?: 'CLIENT_INITIATED_DISCONNECT' | 'CONNECTION_LOST';
}

export interface LocalBroker {
  url: string;
  port: number;
  /** The mTLS listener, mqtts://, when `tls` was given. */
  tlsUrl?: string;
  tlsPort?: number;
  /**
   * `denied` (DeniedEvent), `clientError` ({clientId, error}) and
   * `presence` (PresenceEvent).
   */
  events: EventEmitter;
  /**
   * Subscribes an in-process service to a topic filter without a device
   * identity, so the device policy does not apply. Returns an unsubscribe.
   */
  subscribeInternal(
    filter: string,
    handler: InternalHandler,
  ): Promise<() => Promise<void>>;
  /**
   * Publishes as the broker itself (no device identity, as IoT Core's own
   * services and the data-plane Publish do); resolves once delivered to
   * the subscriptions. @default qos 1
   */
  publish(topic: string, payload: string | Buffer, qos?: 0 | 1): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts aedes on a loopback TCP port with the device policy wired into its
 * connect, publish and subscribe hooks. MQTT 3.1.1, plain TCP, and with
 * `tls` a second, mTLS listener on which certificates name the things.
 */
export async function createLocalBroker(
  options: LocalBrokerOptions = {},
): Promise<LocalBroker> {
  const host = assertLoopback(options.host ?? brokerDefaults.host);
  const requestedPort = assertPort(
    'MQTT port',
    options.port ?? brokerDefaults.port,
  );
  const now = options.now ?? Date.now;
  const events = new EventEmitter();
  const denied = (event: DeniedEvent) => events.emit('denied', event);
  const grants: Grants = new WeakMap();

  const aedes = await Aedes.createBroker({
    maxClientsIdLength: brokerDefaults.maxClientIdLength,
    ...policyHooks(denied, options.tls?.directory, grants),
  });
  aedes.on('clientError', (client, error) =>
    events.emit('clientError', { clientId: client.id, error }),
  );
  emitPresence(aedes, events, now);

  const server = createServer(aedes.handle);
  const port = await listen(server, host, requestedPort).catch(
    async (error: unknown) => {
      await closeAedes(aedes);
      throw error;
    },
  );
  const tls = options.tls
    ? await startTlsListener(aedes, host, options.tls, denied, grants).catch(
        async (error: unknown) => {
          await closeAll([server], aedes);
          throw error;
        },
      )
    : undefined;
  const servers = tls ? [server, tls.server] : [server];

  return {
    url: `mqtt://${urlHost(host)}:${port}`,
    port,
    ...(tls
      ? { tlsUrl: `mqtts://${urlHost(host)}:${tls.port}`, tlsPort: tls.port }
      : {}),
    events,
    subscribeInternal: (filter, handler) =>
      subscribeInternal(aedes, filter, handler, now),
    publish: (topic, payload, qos = 1) => publish(aedes, topic, payload, qos),
    close: () => {
      tls?.stop();
      return closeAll(servers, aedes);
    },
  };
}

function subscribeInternal(
  aedes: Aedes,
  filter: string,
  handler: InternalHandler,
  now: () => number,
): Promise<() => Promise<void>> {
  // The callback is called at once: the handler runs on its own, so a slow
  // service never holds up delivery to devices.
  const deliver = (packet: AedesPublishPacket, done: () => void) => {
    const clientId = (packet as { clientId?: string }).clientId;
    const payload = Buffer.isBuffer(packet.payload)
      ? packet.payload
      : Buffer.from(packet.payload);
    done();
    handler({ topic: packet.topic, payload, clientId, receivedAt: now() });
  };

  return new Promise((resolve) => {
    aedes.subscribe(filter, deliver, () =>
      resolve(
        () =>
          new Promise<void>((done) => aedes.unsubscribe(filter, deliver, done)),
      ),
    );
  });
}

function publish(
  aedes: Aedes,
  topic: string,
  payload: string | Buffer,
  qos: 0 | 1,
): Promise<void> {
  const packet = {
    cmd: 'publish' as const,
    topic,
    payload: Buffer.isBuffer(payload) ? payload : Buffer.from(payload),
    qos,
    retain: false,
    dup: false,
  };
  return new Promise((resolve, reject) =>
    aedes.publish(packet, (error) => (error ? reject(error) : resolve())),
  );
}

function emitPresence(aedes: Aedes, events: EventEmitter, now: () => number) {
  aedes.on('clientReady', (client) => {
    const event: PresenceEvent = {
      eventType: 'connected',
      clientId: client.id,
      timestamp: now(),
    };
    events.emit('presence', event);
  });
  aedes.on('clientDisconnect', (client) => {
    // Set only when the client sent DISCONNECT [MQTT-3.14.4-3].
    const clean =
      (client as { _disconnected?: boolean })._disconnected === true;
    const event: PresenceEvent = {
      eventType: 'disconnected',
      clientId: client.id,
      timestamp: now(),
      clientInitiatedDisconnect: clean,
      disconnectReason: clean
        ? 'CLIENT_INITIATED_DISCONNECT'
        : 'CONNECTION_LOST',
    };
    events.emit('presence', event);
  });
}

function closeAedes(aedes: Aedes): Promise<void> {
  return new Promise((resolve) => aedes.close(() => resolve()));
}

async function closeAll(servers: Server[], aedes: Aedes) {
  // Stop accepting first, then drop the clients so the servers can finish.
  const serversClosed = Promise.all(servers.map(closeServer));
  await closeAedes(aedes);
  await serversClosed;
}
