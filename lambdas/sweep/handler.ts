// The sweep Lambda's entry (bundled by scripts/build.mjs and infra).
import { createClients } from '../lib/clients.js';
import { readApiConfig } from '../lib/config.js';
import { createSweepHandler } from './create-sweep-handler.js';

const env = { POWERTOOLS_SERVICE_NAME: 'upkeep-sweep', ...process.env };
const config = readApiConfig(env);

export const handler = createSweepHandler({
  config,
  clients: createClients(config),
});
