// The api Lambda's entry (bundled by scripts/build.mjs).
import { createClients } from '../lib/clients.js';
import { readApiConfig } from '../lib/config.js';
import { createApiHandler } from './create-api-handler.js';

const config = readApiConfig();

export const handler = createApiHandler({
  config,
  clients: createClients(config),
});
