// The pre token generation Lambda's entry (bundled by infra).
import { Logger } from '@aws-lambda-powertools/logger';
import { createPreTokenHandler } from './create-pre-token-handler.js';

export const handler = createPreTokenHandler({
  // Service name and level come from POWERTOOLS_SERVICE_NAME and
  // POWERTOOLS_LOG_LEVEL, which infra sets.
  logger: new Logger({ serviceName: 'upkeep-auth' }),
});
