import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { onTestFinished } from 'vitest';
import { ThingRegistry } from '../iot/thing-registry.js';
import { type LocalCa, loadOrCreateLocalCa } from '../pki/local-ca.js';
import { tempStateDir } from '../test-support.js';
import { createLocalBroker, type DeniedEvent } from './broker.js';
import { CYCLE_GROUP_ATTRIBUTE } from './certificate-auth.js';

/** The broker with its mTLS listener over a registry and a fresh local CA. */
export async function startMtlsBroker() {
  const ca = await loadOrCreateLocalCa(`${tempStateDir()}/pki`);
  const registry = new ThingRegistry({ ca });
  const server = await ca.issueServer();
  const broker = await createLocalBroker({
    port: 0,
    tls: {
      port: 0,
      ca: ca.certificatePem,
      cert: server.certificatePem,
      key: server.privateKeyPem,
      directory: registry,
    },
  });
  onTestFinished(() => broker.close());
  const denied: DeniedEvent[] = [];
  broker.events.on('denied', (event) => denied.push(event));
  return { broker, registry, ca, denied, tlsUrl: broker.tlsUrl as string };
}

export interface DeviceMaterial {
  certificateId: string;
  certificateArn: string;
  cert: string;
  key: string;
}

/** What enrolment does for one device, straight on the registry. */
export async function enrolDirectly(
  registry: ThingRegistry,
  thingName: string,
  cycleGroup: string,
): Promise<DeviceMaterial> {
  registry.createThing({
    thingName,
    attributes: { [CYCLE_GROUP_ATTRIBUTE]: cycleGroup },
  });
  const made = await registry.createKeysAndCertificate(true);
  const { certificateArn, certificateId } = made.certificate;
  registry.attachPolicy('upkeep-device', certificateArn);
  registry.attachThingPrincipal(thingName, certificateArn);
  return {
    certificateId,
    certificateArn,
    cert: made.certificatePem,
    key: made.privateKeyPem,
  };
}

/** An MQTT 3.1.1 client over TLS that trusts the local CA only. */
export async function connectTls(
  url: string,
  clientId: string,
  ca: LocalCa,
  material: Partial<Pick<DeviceMaterial, 'cert' | 'key'>>,
): Promise<MqttClient> {
  const client = await mqtt.connectAsync(
    url,
    clientOptions(clientId, ca, material),
  );
  onTestFinished(() => client.endAsync(true));
  return client;
}

/**
 * Resolves with the error of a connection the broker refuses: a CONNACK
 * with a refusal code, or a TLS connection closed before any CONNACK.
 */
export function refusedConnect(
  url: string,
  clientId: string,
  ca: LocalCa,
  material: Partial<Pick<DeviceMaterial, 'cert' | 'key'>>,
): Promise<Error> {
  const client = mqtt.connect(url, clientOptions(clientId, ca, material));
  onTestFinished(() => client.endAsync(true));
  return new Promise((resolve, reject) => {
    client.once('connect', () =>
      reject(new Error(`${clientId} connected, but a refusal was expected`)),
    );
    client.once('error', resolve);
    client.once('close', () =>
      resolve(new Error('connection closed before CONNACK')),
    );
  });
}

function clientOptions(
  clientId: string,
  ca: LocalCa,
  material: Partial<Pick<DeviceMaterial, 'cert' | 'key'>>,
): IClientOptions {
  return {
    clientId,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 5_000,
    ca: ca.certificatePem,
    ...(material.cert ? { cert: material.cert, key: material.key } : {}),
  };
}
