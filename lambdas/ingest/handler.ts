// The ingest Lambda's entry (bundled by scripts/build.mjs).
import { createClients } from '../lib/clients.js';
import { readIngestConfig } from '../lib/config.js';
import { createIngestHandler } from './create-ingest-handler.js';

const config = readIngestConfig();

export const handler = createIngestHandler({
  config,
  clients: createClients(config),
});
