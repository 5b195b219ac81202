import { IoTClient } from '@aws-sdk/client-iot';
import mqtt, { type MqttClient } from 'mqtt';
import { onTestFinished } from 'vitest';
import { createLocalBroker, type LocalBroker } from '../broker/broker.js';
import { startIotJobs } from './index.js';

/**
 * A broker, the Jobs stand-in and an IoT SDK client aimed at it, each
 * stopped when the test ends.
 */
export async function startJobsStandIn(
  options: { stateDir?: string; minuteMs?: number } = {},
) {
  const broker = await createLocalBroker({ port: 0 });
  onTestFinished(() => broker.close());
  const jobs = await startIotJobs({ broker, port: 0, ...options });
  onTestFinished(() => jobs.close());
  const iot = new IoTClient({
    region: 'us-east-1',
    endpoint: jobs.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  onTestFinished(() => iot.destroy());
  return { broker, jobs, iot };
}

export const thingArn = (thing: string) =>
  `arn:aws:iot:us-east-1:000000000000:thing/${thing}`;

/**
 * A device speaking the Jobs MQTT API: it subscribes to its jobs topics and
 * keeps every message, so a test can wait for the one it expects.
 */
export async function jobsDevice(
  broker: Pick<LocalBroker, 'url'>,
  thing: string,
) {
  const client = await mqtt.connectAsync(broker.url, {
    clientId: thing,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  onTestFinished(() => client.endAsync(true));
  const messages: { topic: string; body: Record<string, unknown> }[] = [];
  // The device also hears its own requests, some of them not JSON on purpose.
  client.on('message', (topic, payload) => {
    try {
      messages.push({ topic, body: JSON.parse(payload.toString()) });
    } catch {
      messages.push({ topic, body: { raw: payload.toString() } });
    }
  });
  await client.subscribeAsync(`$aws/things/${thing}/jobs/#`, { qos: 1 });
  return new JobsDevice(client, thing, messages);
}

export class JobsDevice {
  #token = 0;

  constructor(
    readonly client: MqttClient,
    readonly thing: string,
    readonly messages: { topic: string; body: Record<string, unknown> }[],
  ) {}

  /** Publishes a request and resolves with its accepted or rejected reply. */
  async request(path: string, body: Record<string, unknown> = {}) {
    const clientToken = `t-${++this.#token}`;
    const topic = `$aws/things/${this.thing}/jobs/${path}`;
    await this.client.publishAsync(
      topic,
      JSON.stringify({ ...body, clientToken }),
      { qos: 1 },
    );
    const reply = await this.waitFor(
      (m) =>
        (m.topic === `${topic}/accepted` || m.topic === `${topic}/rejected`) &&
        m.body.clientToken === clientToken,
    );
    return { accepted: reply.topic.endsWith('/accepted'), body: reply.body };
  }

  async waitFor(
    match: (m: { topic: string; body: Record<string, unknown> }) => boolean,
    timeoutMs = 5000,
  ) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `no matching message; got ${JSON.stringify(this.messages)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
