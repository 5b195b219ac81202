// The ingest Lambda's entry (bundled by scripts/build.mjs).
import { createClients } from '../lib/clients.js';
import { readIngestConfig } from '../lib/config.js';
import { findingEventsFor } from '../lib/events/events-config.js';
import { createIngestHandler } from './create-ingest-handler.js';

const config = readIngestConfig();
const clients = createClients(config);

export const handler = createIngestHandler({
  config,
  clients,
  events: findingEventsFor(process.env, config, clients.doc),
});
