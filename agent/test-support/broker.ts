import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import type { Aedes, ConnectPacket } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';

/**
 * A real aedes broker on 127.0.0.1 for agent tests: plain TCP or TLS, on an
 * ephemeral port or a given one (to restart "the same" broker), recording
 * the CONNECT packets it accepted.
 */
export interface TestBroker {
  port: number;
  url: string;
  aedes: Aedes;
  connects: ConnectPacket[];
  /** Every message a client published, as the broker received it. */
  published: ReceivedMessage[];
  /** Resolves with the first `count` received messages matching `test`. */
  waitForPublish(
    test: (m: ReceivedMessage) => boolean,
    count?: number,
  ): Promise<ReceivedMessage[]>;
  close(): Promise<void>;
}

export interface TestBrokerOptions {
  port?: number;
  tls?: { key: string; cert: string; ca: string };
}

export async function startBroker(
  options: TestBrokerOptions = {},
): Promise<TestBroker> {
  const { Aedes } = await import('aedes');
  const connects: ConnectPacket[] = [];
  const aedes = await Aedes.createBroker({
    preConnect: (_client, packet, done) => {
      connects.push(packet);
      done(null, true);
    },
  });
  const server = options.tls
    ? tls.createServer(
        { ...options.tls, requestCert: true, rejectUnauthorized: true },
        aedes.handle,
      )
    : net.createServer(aedes.handle);
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');

  const published = new Inbox();
  aedes.on('publish', (packet, client) => {
    if (!client) return;
    published.push({
      topic: packet.topic,
      payload: Buffer.from(packet.payload).toString('utf8'),
    });
  });

  const { port } = server.address() as AddressInfo;
  const scheme = options.tls ? 'mqtts' : 'mqtt';
  return {
    port,
    url: `${scheme}://127.0.0.1:${port}`,
    aedes,
    connects,
    published: published.messages,
    waitForPublish: (test, count) => published.waitFor(test, count),
    close: () => closeBroker(aedes, server),
  };
}

async function closeBroker(aedes: Aedes, server: net.Server) {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  await new Promise<void>((resolve) => aedes.close(() => resolve()));
  await closed;
}

export interface ReceivedMessage {
  topic: string;
  payload: string;
}

/** Messages as they arrive, and a way to wait for some of them. */
class Inbox {
  readonly messages: ReceivedMessage[] = [];
  #waiters: (() => void)[] = [];

  push(message: ReceivedMessage) {
    this.messages.push(message);
    for (const wake of this.#waiters.splice(0)) wake();
  }

  async waitFor(
    test: (m: ReceivedMessage) => boolean,
    count = 1,
    timeoutMs = 15_000,
  ) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.filter(test);
      if (found.length >= count) return found.slice(0, count);
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${count} message(s)`);
      }
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }
}

/** A plain mqtt.js subscriber that keeps every message it gets. */
export async function subscribe(url: string, filter: string) {
  const client: MqttClient = await mqtt.connectAsync(url, {
    protocolVersion: 4,
    clientId: `observer-${process.pid}-${Date.now()}`,
    reconnectPeriod: 0,
  });
  const inbox = new Inbox();
  client.on('message', (topic, payload) => {
    inbox.push({ topic, payload: payload.toString('utf8') });
  });
  await client.subscribeAsync(filter, { qos: 1 });

  return {
    messages: inbox.messages,
    waitFor: (test: (m: ReceivedMessage) => boolean, count?: number) =>
      inbox.waitFor(test, count),
    close: () => client.endAsync(true),
  };
}
