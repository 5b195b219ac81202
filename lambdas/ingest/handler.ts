// The ingest Lambda's entry (bundled by scripts/build.mjs).
import { createClients } from '../lib/clients.js';
import { readIngestConfig } from '../lib/config.js';
import { findingEventsFromEnv } from '../lib/events/events-config.js';
import { createLogger } from '../lib/logger.js';
import { createIngestHandler } from './create-ingest-handler.js';

const config = readIngestConfig();
const clients = createClients(config);

export const handler = createIngestHandler({
  config,
  clients,
  events: findingEventsFromEnv(process.env, {
    region: config.region,
    doc: clients.doc,
    tableName: config.tableName,
    logger: createLogger(config),
    now: Date.now,
  }),
});
