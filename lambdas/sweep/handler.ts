// The sweep Lambda's entry (bundled by scripts/build.mjs and infra).
import { createClients } from '../lib/clients.js';
import { readApiConfig } from '../lib/config.js';
import { findingEventsFor } from '../lib/events/events-config.js';
import { createSweepHandler } from './create-sweep-handler.js';

const env = { POWERTOOLS_SERVICE_NAME: 'upkeep-sweep', ...process.env };
const config = readApiConfig(env);
const clients = createClients(config);

export const handler = createSweepHandler({
  config,
  clients,
  events: findingEventsFor(env, config, clients.doc),
});
