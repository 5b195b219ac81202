import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type { AwsClients } from '../lib/clients.js';
import type { ApiConfig } from '../lib/config.js';
import { DeviceReader } from '../lib/device-reader.js';
import { createLogger } from '../lib/logger.js';
import { ApiError, errorResponse, json } from './responses.js';
import { matchRoute, type Route } from './routes.js';
import { deviceDetail, deviceSummary } from './views.js';

export interface ApiDeps {
  config: ApiConfig;
  clients: Pick<AwsClients, 'doc'>;
  /** @default a Powertools Logger from config */
  logger?: Logger;
}

/**
 * The HTTP API Lambda (API Gateway HTTP API, payload format 2.0):
 *   GET /devices[?clientId=]   the devices, per client via gsi1
 *   GET /devices/{id}          registration, latest checks, open findings
 * Errors are JSON `{error: {code, message}}`.
 */
export function createApiHandler(deps: ApiDeps) {
  const logger = deps.logger ?? createLogger(deps.config);
  const reader = new DeviceReader(deps.clients.doc, deps.config.tableName);

  const route = async (r: Route) => {
    if (r.name === 'list-devices') {
      const devices = await reader.listDevices(r.clientId);
      return json(200, { devices: devices.map(deviceSummary) });
    }
    const record = await reader.readDevice(r.deviceId);
    if (!record) {
      throw new ApiError(404, 'device-not-found', `no device "${r.deviceId}"`);
    }
    return json(200, deviceDetail(record));
  };

  return middy(
    async (
      event: APIGatewayProxyEventV2,
      _context: Context,
    ): Promise<APIGatewayProxyStructuredResultV2> => {
      try {
        return await route(matchRoute(event));
      } catch (error) {
        if (error instanceof ApiError) return errorResponse(error);
        // A person must look: the table or the code is broken.
        logger.error('request failed', { error: error as Error });
        return errorResponse(new ApiError(500, 'internal', 'internal error'));
      }
    },
  ).use(injectLambdaContext(logger, { resetKeys: true }));
}
