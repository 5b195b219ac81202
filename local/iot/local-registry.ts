import { join } from 'node:path';
import type { BrokerTlsOptions } from '../broker/broker-tls.js';
import { type LocalCa, loadOrCreateLocalCa } from '../pki/local-ca.js';
import type { IotJobs } from './index.js';
import { registryRoutes } from './registry-routes.js';
import { ThingRegistry } from './thing-registry.js';

/** Folders under the state folder. */
export const localRegistryPaths = {
  /** The local CA: ca.crt.pem and ca.key.pem (0600). */
  pki: 'pki',
  /** registry.json beside the jobs. */
  iot: 'iot',
} as const;

export interface LocalRegistry {
  registry: ThingRegistry;
  ca: LocalCa;
  /** What the broker's mTLS listener needs, on the given port. */
  brokerTls(port: number): BrokerTlsOptions;
}

/**
 * The device side of the IoT stand-in: the local CA (made on the first
 * start), the thing registry over it, and its operations served on the
 * IoT control-plane endpoint, so that `upkeep enroll` and tests use the
 * real @aws-sdk/client-iot against it.
 */
export async function startLocalRegistry(options: {
  stateRoot: string;
  jobs: IotJobs;
  region: string;
  accountId: string;
}): Promise<LocalRegistry> {
  const ca = await loadOrCreateLocalCa(
    join(options.stateRoot, localRegistryPaths.pki),
  );
  const registry = new ThingRegistry({
    stateDir: join(options.stateRoot, localRegistryPaths.iot),
    ca,
    region: options.region,
    accountId: options.accountId,
  });
  options.jobs.serve(registryRoutes(registry));
  // A fresh server certificate on every start: nothing pins it but the CA.
  const server = await ca.issueServer();

  return {
    registry,
    ca,
    brokerTls: (port) => ({
      port,
      ca: ca.certificatePem,
      cert: server.certificatePem,
      key: server.privateKeyPem,
      directory: registry,
    }),
  };
}
