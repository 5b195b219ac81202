// The job-events Lambda's entry (bundled by scripts/build.mjs and infra).
import { createClients } from '../lib/clients.js';
import { readJobEventsConfig } from '../lib/config.js';
import { findingEventsFromEnv } from '../lib/events/events-config.js';
import { createLogger } from '../lib/logger.js';
import { createJobEventsHandler } from './create-job-events-handler.js';

const config = readJobEventsConfig();
const clients = createClients(config);

export const handler = createJobEventsHandler({
  config,
  clients,
  events: findingEventsFromEnv(process.env, {
    region: config.region,
    doc: clients.doc,
    tableName: config.tableName,
    logger: createLogger(config),
    now: Date.now,
  }),
});
