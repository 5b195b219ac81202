// The sweep Lambda's entry (bundled by scripts/build.mjs and infra).
import { createClients } from '../lib/clients.js';
import { readApiConfig } from '../lib/config.js';
import { findingEventsFromEnv } from '../lib/events/events-config.js';
import { createLogger } from '../lib/logger.js';
import { createSweepHandler } from './create-sweep-handler.js';

const env = { POWERTOOLS_SERVICE_NAME: 'upkeep-sweep', ...process.env };
const config = readApiConfig(env);
const clients = createClients(config);

export const handler = createSweepHandler({
  config,
  clients,
  events: findingEventsFromEnv(env, {
    region: config.region,
    doc: clients.doc,
    tableName: config.tableName,
    logger: createLogger(config),
    now: Date.now,
  }),
});
