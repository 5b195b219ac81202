// The job-events Lambda's entry (bundled by scripts/build.mjs and infra).
import { createClients } from '../lib/clients.js';
import { readJobEventsConfig } from '../lib/config.js';
import { createJobEventsHandler } from './create-job-events-handler.js';

const config = readJobEventsConfig();

export const handler = createJobEventsHandler({
  config,
  clients: createClients(config),
});
