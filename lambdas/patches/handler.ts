// The patch planner Lambda's entry (bundled by scripts/build.mjs and infra).
import { createClients } from '../lib/clients.js';
import { readPlannerConfig } from './config.js';
import { createPlannerHandler } from './create-planner-handler.js';

const config = readPlannerConfig();

export const handler = createPlannerHandler({
  config,
  clients: createClients(config),
});
