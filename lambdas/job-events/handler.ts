// The job-events Lambda's entry (bundled by scripts/build.mjs and infra).
import { createClients } from '../lib/clients.js';
import { readJobEventsConfig } from '../lib/config.js';
import { findingEventsFor } from '../lib/events/events-config.js';
import { createJobEventsHandler } from './create-job-events-handler.js';

const config = readJobEventsConfig();
const clients = createClients(config);

export const handler = createJobEventsHandler({
  config,
  clients,
  events: findingEventsFor(process.env, config, clients.doc),
});
