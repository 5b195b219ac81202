// The ingest Lambda's entry (bundled by scripts/build.mjs).
import { readIngestConfig } from '../lib/config.js';
import { findingEventsFor } from '../lib/events/events-config.js';
import { createLazyClients } from '../lib/lazy-clients.js';
import { createIngestHandler } from './create-ingest-handler.js';

const config = readIngestConfig();
// SQS (dead letters) and IoT (remedies) load when first used.
const clients = createLazyClients(config);

export const handler = createIngestHandler({
  config,
  clients,
  events: findingEventsFor(process.env, config, clients.doc),
});
