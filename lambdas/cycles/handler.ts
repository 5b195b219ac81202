// The cycles Lambda's entry (bundled by scripts/build.mjs and infra).
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { createClients } from '../lib/clients.js';
import { readIotFunctionConfig } from './config.js';
import { createCyclesHandler } from './create-cycles-handler.js';
import { iotPublisher } from './publisher.js';

const config = readIotFunctionConfig('upkeep-cycles');

export const handler = createCyclesHandler({
  config,
  clients: createClients(config),
  publish: iotPublisher(
    new IoTDataPlaneClient({
      region: config.region,
      ...(config.iotDataEndpoint ? { endpoint: config.iotDataEndpoint } : {}),
    }),
  ),
});
