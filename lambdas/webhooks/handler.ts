import { createClients } from '../lib/clients.js';
import { readWebhooksConfig } from './config.js';
import { createWebhooksHandler } from './create-webhooks-handler.js';

const config = readWebhooksConfig();

/** The Lambda entry: configuration and clients once per container. */
export const handler = createWebhooksHandler({
  config,
  clients: createClients(config),
});
