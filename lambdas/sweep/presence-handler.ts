// The presence Lambda's entry (bundled by infra).
import { createClients } from '../lib/clients.js';
import { readApiConfig } from '../lib/config.js';
import { createPresenceHandler } from './create-presence-handler.js';

const env = { POWERTOOLS_SERVICE_NAME: 'upkeep-presence', ...process.env };
const config = readApiConfig(env);

export const handler = createPresenceHandler({
  config,
  clients: createClients(config),
});
