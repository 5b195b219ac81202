import type { Logger } from '@aws-lambda-powertools/logger';
import { ApiReader } from '../lib/api-reader.js';
import type { AwsClients } from '../lib/clients.js';
import type { ApiConfig } from '../lib/config.js';
import { cachedKey } from '../lib/create-remedy-loop.js';
import { DeviceReader } from '../lib/device-reader.js';
import { FindingActions } from '../lib/finding-actions.js';
import { JobIssuer } from '../lib/job-issuer.js';
import type { JobSigningKey } from '../lib/job-signing.js';
import { OnDemandRuns } from '../lib/on-demand-runs.js';
import { PolicyLayerStore } from '../lib/policy-layers.js';
import { WebhookServices } from '../webhooks/webhook-services.js';
import { ApiIdempotency } from './idempotency.js';

/** What the routes use, built once per container. */
export interface ApiServices {
  devices: DeviceReader;
  reader: ApiReader;
  findings: FindingActions;
  policies: PolicyLayerStore;
  /** Absent without a job-signing secret: runs answer 503. */
  runs?: OnDemandRuns;
  idempotency: ApiIdempotency;
  /** Absent without a webhook key secret: webhook routes answer 503. */
  webhooks?: WebhookServices;
  clients: Pick<AwsClients, 'doc'>;
  tableName: string;
  logger: Logger;
  now: () => number;
}

export interface ServiceOptions {
  config: ApiConfig;
  clients: Pick<AwsClients, 'doc' | 'iot'>;
  logger: Logger;
  now?: () => number;
  /** @default the secret from config, read once */
  signingKey?: () => Promise<JobSigningKey>;
}

export function createServices(options: ServiceOptions): ApiServices {
  const { config, clients } = options;
  const { doc } = clients;
  const table = config.tableName;
  return {
    devices: new DeviceReader(doc, table),
    reader: new ApiReader(doc, table),
    findings: new FindingActions(doc, table),
    policies: new PolicyLayerStore(doc, table),
    runs: config.remedies
      ? new OnDemandRuns({
          doc,
          tableName: table,
          iot: clients.iot,
          issuer: new JobIssuer(clients.iot, config.remedies.thingArnPrefix),
          config: config.remedies,
          signingKey: options.signingKey ?? cachedKey(config.remedies),
        })
      : undefined,
    idempotency: new ApiIdempotency(doc, table),
    webhooks: config.webhooks
      ? new WebhookServices(doc, table, config.webhooks)
      : undefined,
    clients: { doc },
    tableName: table,
    logger: options.logger,
    now: options.now ?? Date.now,
  };
}
