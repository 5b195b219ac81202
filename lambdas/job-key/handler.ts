// The job-signing public key custom resource's entry (bundled by infra).
import { Logger } from '@aws-lambda-powertools/logger';
import { createJobKeyHandler } from './create-job-key-handler.js';

export const handler = createJobKeyHandler({
  logger: new Logger({ serviceName: 'upkeep-job-key' }),
});
