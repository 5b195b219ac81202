import type { IoTClient } from '@aws-sdk/client-iot';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { loadOnce } from './lazy-client.js';
import {
  type ClientOptions,
  clientConfig,
  createTableClients,
} from './table-clients.js';

/**
 * The table's clients now; SQS and IoT loaded, package and all, when first
 * sent to. Ingest dead-letters and starts remedies now and then, and its
 * cold start should not pay for those SDK packages (bench/README.md).
 */
export function createLazyClients(options: ClientOptions) {
  return {
    ...createTableClients(options),
    sqs: loadOnce(async (): Promise<SQSClient> => {
      const { SQSClient } = await import('@aws-sdk/client-sqs');
      return new SQSClient(clientConfig(options, options.endpoints?.sqs));
    }),
    iot: loadOnce(async (): Promise<IoTClient> => {
      const { IoTClient } = await import('@aws-sdk/client-iot');
      return new IoTClient(clientConfig(options, options.endpoints?.iot));
    }),
  };
}
