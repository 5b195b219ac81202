// The device process of the throughput benchmark: one real mqtt.js client
// per simulated device, in a process of its own so that the devices'
// work does not run on the back end's event loop. Driven over IPC
// (device-protocol.ts); started by throughput.ts.
import mqtt, { type MqttClient } from 'mqtt';
import {
  epochNow,
  type FromDevices,
  type ToDevices,
} from './device-protocol.js';
import type { DevicePayloads } from './payloads.js';

let clients: MqttClient[] = [];
let fleet: DevicePayloads[] = [];

function send(message: FromDevices) {
  process.send?.(message);
}

async function connectAll(mqttUrl: string, devices: DevicePayloads[]) {
  fleet = devices;
  clients = await Promise.all(
    devices.map((d) =>
      mqtt.connectAsync(mqttUrl, {
        clientId: d.thingName,
        // MQTT 3.1.1, as the agent speaks (DESIGN §9).
        protocolVersion: 4,
        reconnectPeriod: 0,
        clean: true,
      }),
    ),
  );
  // Every agent says hello on connect; its device is registered by then.
  await Promise.all(
    fleet.map((d, i) =>
      clients[i]?.publishAsync(d.hello.topic, d.hello.payload, { qos: 1 }),
    ),
  );
  send({ type: 'connected' });
}

/** Every report at once, QoS1: as fast as the broker takes them. */
async function publishAll() {
  const cpu = process.cpuUsage();
  const firstPublishAt = epochNow();
  await Promise.all(
    fleet.flatMap((d, i) =>
      d.reports.map((r) =>
        clients[i]?.publishAsync(r.topic, r.payload, { qos: 1 }),
      ),
    ),
  );
  const lastAckAt = epochNow();
  const used = process.cpuUsage(cpu);
  send({
    type: 'published',
    firstPublishAt,
    lastAckAt,
    cpuMs: (used.user + used.system) / 1000,
  });
}

async function stop() {
  await Promise.all(clients.map((c) => c.endAsync()));
  process.disconnect?.();
}

function fail(error: unknown) {
  send({ type: 'failed', message: (error as Error)?.message ?? String(error) });
}

process.on('message', (message: ToDevices) => {
  const steps = {
    start: () =>
      message.type === 'start' && connectAll(message.mqttUrl, message.devices),
    go: publishAll,
    stop,
  };
  Promise.resolve(steps[message.type]()).catch(fail);
});

// The benchmark going away ends the devices too.
process.on('disconnect', () => process.exit(0));
