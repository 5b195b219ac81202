// The policy Lambda's entry (bundled by scripts/build.mjs and infra).
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { readIotFunctionConfig } from '../cycles/config.js';
import { createClients } from '../lib/clients.js';
import { createPolicyHandler } from './create-policy-handler.js';
import { iotPolicyShadow } from './shadow-port.js';

const config = readIotFunctionConfig('upkeep-policy');

export const handler = createPolicyHandler({
  config,
  clients: createClients(config),
  shadows: iotPolicyShadow(
    new IoTDataPlaneClient({
      region: config.region,
      ...(config.iotDataEndpoint ? { endpoint: config.iotDataEndpoint } : {}),
    }),
  ),
});
