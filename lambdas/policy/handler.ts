// The policy Lambda's entry (bundled by scripts/build.mjs and infra).
import { readIotFunctionConfig } from '../cycles/config.js';
import { createClients } from '../lib/clients.js';
import { iotDataClient } from '../lib/iot-data.js';
import { createPolicyHandler } from './create-policy-handler.js';
import { iotPolicyShadow } from './shadow-port.js';

const config = readIotFunctionConfig('upkeep-policy');

export const handler = createPolicyHandler({
  config,
  clients: createClients(config),
  shadows: iotPolicyShadow(
    iotDataClient({
      region: config.region,
      endpoint: config.iotDataEndpoint,
    }),
  ),
});
