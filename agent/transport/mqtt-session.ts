import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import {
  AgentConfigError,
  TRANSPORT_ERROR_CODES,
  TransportError,
} from '../errors.js';
import type { AgentLogger } from '../logger.js';
import {
  type BackoffOptions,
  backoffDefaults,
  backoffDelay,
  type RandomSource,
  validateBackoff,
} from './backoff.js';
import {
  MemoryOutbox,
  type Outbox,
  type OutboxEntry,
  type OutboxMessage,
  outboxDefaults,
} from './outbox.js';
import { isRequestTopic } from './request-topics.js';

/**
 * The agent's MQTT session over mqtt.js, shaped by AWS IoT Core:
 * MQTT 3.1.1 (protocol level 4), a persistent session (clean = false) so
 * that QoS1 messages for the device wait while it roams, the thing name as
 * client id (the IoT policy checks it), QoS1 for everything it publishes.
 *
 * The session reconnects on its own, with exponential backoff and full
 * jitter, instead of mqtt.js's fixed period, so that a fleet does not
 * return in lockstep after an outage. Each attempt is a fresh mqtt.js
 * client; what was not acknowledged stays in the outbox and is sent again
 * on the next connection (at-least-once: the reportId makes repeats
 * harmless).
 *
 *   connect ─▶ birth (hello) ─▶ outbox, oldest first ─▶ ...
 *      ▲                                          │ link lost
 *      └── backoffDelay(attempt) ◀── requeue ◀────┘
 *
 * Two guards keep one bad message from spinning the loop. AWS IoT closes
 * the connection on a publish its policy refuses, and MQTT 3.1.1 has no
 * negative PUBACK: when the connection closes within `fatalWindowMs` of
 * sending a message that got no PUBACK, `maxFatalSends` times, the message
 * is set aside (Outbox.setAside) and the queue moves on. And the attempt
 * counter resets only once a connection stayed up `stableAfterMs`, so a
 * broker that accepts and then drops the client sees the backoff grow.
 */
export interface TlsMaterial {
  /** PEM of the CA that signed the broker's certificate. */
  ca?: string | Buffer;
  /** PEM client certificate, for mutual TLS. */
  cert?: string | Buffer;
  /** PEM private key of the client certificate. */
  key?: string | Buffer;
}

export interface MqttSessionOptions {
  /** mqtt://host:port, or mqtts:// with `tls`. */
  brokerUrl: string;
  clientId: string;
  tls?: TlsMaterial;
  /** Keep-alive, s. AWS IoT accepts 30-1200. @default 60 */
  keepaliveSeconds?: number;
  /** Time to wait for CONNACK, ms. @default 10_000 */
  connectTimeoutMs?: number;
  backoff?: Partial<BackoffOptions>;
  /** Messages queued while offline (memory outbox). @default 1000 */
  maxQueuedMessages?: number;
  /**
   * Where queued messages wait for their PUBACK; the agent passes its
   * DurableOutbox. @default a MemoryOutbox of maxQueuedMessages
   */
  outbox?: Outbox;
  /** Published first on every connection (the hello). */
  birth?: () => OutboxMessage;
  /** Topic filters subscribed at QoS1 on every connection. @default [] */
  subscriptions?: readonly string[];
  /** Called with each message received on the subscriptions. */
  onMessage?: (topic: string, payload: string) => void;
  /** Called on every connection, after the birth and the outbox went out. */
  onConnect?: () => void;
  /** Closes right after a message before it is set aside. @default 3 */
  maxFatalSends?: number;
  /** "Right after": a close this soon after the send, ms. @default 5_000 */
  fatalWindowMs?: number;
  /** A connection up this long resets the backoff, ms. @default 30_000 */
  stableAfterMs?: number;
  logger: AgentLogger;
  random?: RandomSource;
}

export const sessionDefaults = {
  keepaliveSeconds: 60,
  connectTimeoutMs: 10_000,
  maxFatalSends: 3,
  fatalWindowMs: 5_000,
  stableAfterMs: 30_000,
};

/** The log code of a connection that failed, with its reason. */
export const CONNECT_ERROR_CODE = 'mqtt-connect-error';

export interface QueuedMessage {
  /** Settles on PUBACK, however long that takes. */
  acked: Promise<void>;
}

export interface MqttSession {
  /** Queues a QoS1 message; resolves on PUBACK, however long that takes. */
  publish(topic: string, payload: string): Promise<void>;
  /**
   * Queues a QoS1 message and resolves once the outbox stored it (on disk,
   * for a durable outbox); `acked` settles on PUBACK.
   */
  queue(message: OutboxMessage): Promise<QueuedMessage>;
  /** Resolves when connected (now, or at the next connection). */
  connected(): Promise<void>;
  isConnected(): boolean;
  /** Resolves once every queued message is acknowledged. */
  drained(): Promise<void>;
  /** Disconnects; messages still queued fail with session-stopped. */
  stop(): Promise<void>;
}

export function createMqttSession(options: MqttSessionOptions): MqttSession {
  const session = new Session(validate(options));
  session.start();
  return session;
}

type ValidOptions = MqttSessionOptions & {
  keepaliveSeconds: number;
  connectTimeoutMs: number;
  backoff: BackoffOptions;
};

function validate(options: MqttSessionOptions): ValidOptions {
  let url: URL;
  try {
    url = new URL(options.brokerUrl);
  } catch (cause) {
    throw new AgentConfigError(
      `brokerUrl must be a URL, got "${options.brokerUrl}"`,
      { cause },
    );
  }
  if (!['mqtt:', 'mqtts:'].includes(url.protocol)) {
    throw new AgentConfigError(
      `brokerUrl must be mqtt:// or mqtts://, got ${url.protocol}//`,
    );
  }
  if (options.tls && url.protocol !== 'mqtts:') {
    throw new AgentConfigError('tls material needs an mqtts:// brokerUrl');
  }

  const backoff = { ...backoffDefaults, ...options.backoff };
  const problem = validateBackoff(backoff);
  if (problem) throw new AgentConfigError(problem);

  // AWS IoT refuses keep-alives outside 30-1200 s; tests may go lower.
  const keepaliveSeconds = Math.min(
    Math.max(options.keepaliveSeconds ?? sessionDefaults.keepaliveSeconds, 1),
    1200,
  );
  const connectTimeoutMs =
    options.connectTimeoutMs ?? sessionDefaults.connectTimeoutMs;
  return { ...options, backoff, keepaliveSeconds, connectTimeoutMs };
}

class Session implements MqttSession {
  readonly #options: ValidOptions;
  readonly #log: AgentLogger;
  readonly #outbox: Outbox;
  #client: MqttClient | undefined;
  #connection = 0;
  #isConnected = false;
  #attempt = 0;
  #timer: NodeJS.Timeout | undefined;
  #stableTimer: NodeJS.Timeout | undefined;
  /** Sent on the current connection and not acknowledged, in send order. */
  readonly #inFlight = new Set<OutboxEntry>();
  /** The last connection error logged at WARN, until a connection works. */
  #lastErrorLogged: string | undefined;
  #stopped = false;
  #connectWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];

  constructor(options: ValidOptions) {
    this.#options = options;
    this.#log = options.logger;
    this.#outbox =
      options.outbox ??
      new MemoryOutbox(options.maxQueuedMessages ?? outboxDefaults.maxMessages);
  }

  start() {
    this.#connect();
  }

  isConnected() {
    return this.#isConnected;
  }

  publish(topic: string, payload: string): Promise<void> {
    return this.queue({ topic, payload }).then((queued) => queued.acked);
  }

  async queue(message: OutboxMessage): Promise<QueuedMessage> {
    if (this.#stopped) throw stoppedError();

    const entry = await this.#outbox.add({
      ...message,
      request: message.request ?? isRequestTopic(message.topic),
    });
    if (this.#stopped) {
      entry.reject(stoppedError());
    } else if (this.#isConnected && this.#client && !entry.sentOn) {
      this.#send(this.#client, this.#connection, entry);
    }
    return { acked: entry.acked };
  }

  connected(): Promise<void> {
    if (this.#isConnected) return Promise.resolve();
    if (this.#stopped) return Promise.reject(stoppedError());
    return new Promise((resolve, reject) =>
      this.#connectWaiters.push({ resolve, reject }),
    );
  }

  drained() {
    return this.#outbox.empty();
  }

  async stop() {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#stableTimer);

    const client = this.#client;
    const idle = this.#outbox.size === 0;
    this.#client = undefined;
    this.#isConnected = false;
    // A clean DISCONNECT when nothing is in flight; otherwise mqtt.js
    // would wait for acknowledgements that may never come.
    await client?.endAsync(!idle).catch(() => undefined);

    this.#outbox.rejectAll(stoppedError());
    for (const waiter of this.#connectWaiters.splice(0)) {
      waiter.reject(stoppedError());
    }
    this.#log.info('mqtt session stopped');
  }

  #connect() {
    this.#timer = undefined;
    if (this.#stopped) return;

    const connection = ++this.#connection;
    const client = mqtt.connect(this.#options.brokerUrl, this.#clientOptions());
    this.#client = client;
    client.on('connect', () => this.#onConnect(client, connection));
    client.on('close', () => this.#onClose(client, connection));
    client.on('message', (topic, payload) => {
      this.#options.onMessage?.(topic, payload.toString('utf8'));
    });
    client.on('error', (error) => this.#onError(error, connection));
  }

  #clientOptions(): IClientOptions {
    const { clientId, keepaliveSeconds, connectTimeoutMs, tls } = this.#options;
    return {
      protocolVersion: 4,
      clean: false,
      clientId,
      keepalive: keepaliveSeconds,
      connectTimeout: connectTimeoutMs,
      // The session, not mqtt.js, decides when to try again.
      reconnectPeriod: 0,
      resubscribe: false,
      // mqtt-packet otherwise pre-builds 65,536 small Buffers for packet
      // ids on the first send: about 9 MB resident for no gain at a few
      // messages an hour.
      writeCache: false,
      ...(tls ? { ...tls, rejectUnauthorized: true } : {}),
    };
  }

  #onConnect(client: MqttClient, connection: number) {
    if (client !== this.#client) return;

    this.#isConnected = true;
    this.#lastErrorLogged = undefined;
    this.#inFlight.clear();
    this.#stableTimer = setTimeout(() => {
      this.#attempt = 0;
    }, this.#options.stableAfterMs ?? sessionDefaults.stableAfterMs);
    this.#stableTimer.unref();
    this.#log.info('mqtt connected', { connection });

    const birth = this.#options.birth?.();
    if (birth) this.#sendBirth(client, birth);
    this.#subscribe(client);
    for (const entry of this.#outbox.unsent()) {
      this.#send(client, connection, entry);
    }
    for (const waiter of this.#connectWaiters.splice(0)) waiter.resolve();
    this.#options.onConnect?.();
  }

  #sendBirth(client: MqttClient, birth: OutboxMessage) {
    // Not queued: a lost birth is replaced by the next connection's own.
    client.publish(birth.topic, birth.payload, { qos: 1 }, (error) => {
      if (error) this.#log.debug('birth message not acknowledged', { error });
    });
  }

  #subscribe(client: MqttClient) {
    const filters = this.#options.subscriptions ?? [];
    if (filters.length === 0) return;
    // The persistent session keeps subscriptions, but a broker that lost
    // its session state (or a first connection) needs them again.
    client.subscribe([...filters], { qos: 1 }, (error) => {
      if (error) this.#log.warn('subscribe failed', { error, filters });
    });
  }

  #send(client: MqttClient, connection: number, entry: OutboxEntry) {
    entry.sentOn = connection;
    entry.sentAt = Date.now();
    this.#inFlight.add(entry);
    client.publish(entry.topic, entry.payload, { qos: 1 }, (error) => {
      if (connection !== this.#connection || entry.sentOn !== connection) {
        return;
      }
      this.#inFlight.delete(entry);
      if (!error) {
        this.#outbox.acknowledge(entry);
        return;
      }
      entry.sentOn = undefined;
      this.#log.debug('publish not acknowledged, kept for retry', { error });
    });
  }

  #onClose(client: MqttClient, connection: number) {
    if (client !== this.#client) return;

    const wasConnected = this.#isConnected;
    this.#client = undefined;
    this.#isConnected = false;
    clearTimeout(this.#stableTimer);
    if (wasConnected) this.#blameFatalSend(connection);
    this.#outbox.requeue(connection);
    client.removeAllListeners('close');
    client.end(true);
    if (this.#stopped) return;

    const delayMs = backoffDelay(
      this.#attempt++,
      this.#options.backoff,
      this.#options.random,
    );
    // Losing the broker is expected while roaming: info, not error; a
    // failed attempt while already offline changes nothing: debug.
    const fields = {
      attempt: this.#attempt,
      retryInMs: delayMs,
      queued: this.#outbox.size,
    };
    if (wasConnected) this.#log.info('mqtt disconnected', fields);
    else this.#log.debug('mqtt connect failed', fields);
    this.#timer = setTimeout(() => this.#connect(), delayMs);
  }

  /**
   * The broker handles a client's publishes in order, so the first message
   * of this connection without a PUBACK is the one it stopped at.
   */
  #blameFatalSend(connection: number) {
    const [suspect] = [...this.#inFlight].filter(
      (entry) => entry.sentOn === connection,
    );
    this.#inFlight.clear();
    const window = this.#options.fatalWindowMs ?? sessionDefaults.fatalWindowMs;
    if (!suspect || Date.now() - (suspect.sentAt ?? 0) > window) return;

    suspect.fatalSends = (suspect.fatalSends ?? 0) + 1;
    const limit = this.#options.maxFatalSends ?? sessionDefaults.maxFatalSends;
    if (suspect.fatalSends < limit) return;
    const reason =
      `the broker closed the connection right after this publish ` +
      `${suspect.fatalSends} times (a topic its policy refuses?)`;
    this.#log.warn('message set aside: it keeps closing the connection', {
      code: 'mqtt-message-set-aside',
      topic: suspect.topic,
      fatalSends: suspect.fatalSends,
    });
    this.#outbox.setAside(suspect, reason);
  }

  #onError(error: Error, connection: number) {
    // Refused or reset connections are routine for a roaming laptop: the
    // first failure after a working connection (or a new reason) is a
    // warning with the reason, repeats are debug.
    const reason = connectReason(error);
    if (this.#isConnected || reason === this.#lastErrorLogged) {
      this.#log.debug('mqtt connection error', { error, connection });
      return;
    }
    this.#lastErrorLogged = reason;
    this.#log.warn('mqtt connection error', {
      code: CONNECT_ERROR_CODE,
      reason,
      broker: this.#options.brokerUrl,
      connection,
    });
  }
}

/** `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1883`, or the message. */
export function connectReason(error: Error) {
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code)
    ? `${code}: ${error.message}`
    : error.message;
}

function stoppedError() {
  return new TransportError(
    TRANSPORT_ERROR_CODES.stopped,
    'the MQTT session was stopped',
  );
}
