import type { Logger } from '@aws-lambda-powertools/logger';
import type { IoTClient } from '@aws-sdk/client-iot';
import { ClientPolicyReader } from './client-policy.js';
import type { AwsClients } from './clients.js';
import { DeviceRegistry } from './device-registry.js';
import type { FindingEvents } from './events/finding-events.js';
import { FindingLifecycle } from './finding-lifecycle.js';
import { JobIssuer } from './job-issuer.js';
import { type JobSigningKey, signingKeyFromSecret } from './job-signing.js';
import type { ClientSource } from './lazy-client.js';
import type { RemedyConfig } from './remedy-config.js';
import { RemedyLoop } from './remedy-loop.js';
import { readSigningSecret } from './signing-secret.js';

export interface RemedyLoopOptions {
  config: RemedyConfig;
  tableName: string;
  /** `iot` may be a loader: the IoT package then loads with the first job. */
  clients: Pick<AwsClients, 'doc'> & { iot: ClientSource<IoTClient> };
  logger: Logger;
  now: () => number;
  /** @default the secret from config, read once */
  signingKey?: () => Promise<JobSigningKey>;
  /** Sends a finding's escalation when it is stored. @default no events */
  events?: FindingEvents;
}

/** The remedy loop with the table, IoT and the signing key wired in. */
export function createRemedyLoop(options: RemedyLoopOptions): RemedyLoop {
  const { config, tableName, clients } = options;
  return new RemedyLoop({
    lifecycle: new FindingLifecycle(
      clients.doc,
      tableName,
      options.events?.reconcileKey.bind(options.events),
    ),
    issuer: new JobIssuer(clients.iot, config.thingArnPrefix),
    devices: new DeviceRegistry(clients.doc, tableName),
    policies: new ClientPolicyReader(clients.doc, tableName),
    signingKey: options.signingKey ?? cachedKey(config),
    config,
    logger: options.logger,
    now: options.now,
  });
}

/** Read once per container; a failed read is tried again next time. */
export function cachedKey(config: RemedyConfig) {
  let key: Promise<JobSigningKey> | undefined;
  return () => {
    key ??= readSigningSecret(config.signingSecret)
      .then(signingKeyFromSecret)
      .catch((error: unknown) => {
        key = undefined;
        throw error;
      });
    return key;
  };
}
