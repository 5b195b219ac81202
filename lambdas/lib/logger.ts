import { Logger } from '@aws-lambda-powertools/logger';
import type { CommonConfig } from './config.js';

/** The Powertools logger of a handler, from its config. */
export function createLogger(
  config: Pick<CommonConfig, 'serviceName' | 'logLevel'>,
) {
  return new Logger({
    serviceName: config.serviceName,
    logLevel: config.logLevel,
  });
}
