// The cycles Lambda's entry (bundled by scripts/build.mjs and infra).
import { createClients } from '../lib/clients.js';
import { iotDataClient } from '../lib/iot-data.js';
import { readIotFunctionConfig } from './config.js';
import { createCyclesHandler } from './create-cycles-handler.js';
import { iotPublisher } from './publisher.js';

const config = readIotFunctionConfig('upkeep-cycles');

export const handler = createCyclesHandler({
  config,
  clients: createClients(config),
  publish: iotPublisher(
    iotDataClient({
      region: config.region,
      endpoint: config.iotDataEndpoint,
    }),
  ),
});
