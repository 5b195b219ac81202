import { type CommonConfig, type Env, readApiConfig } from '../lib/config.js';

/**
 * The cycles and sweep functions' settings: the common ones (TABLE_NAME,
 * AWS_REGION, the endpoint overrides, the log level) plus
 *
 *   AWS_ENDPOINT_URL_IOT_DATA_PLANE  IoT data endpoint: the account's
 *                                    `iot:Data-ATS` endpoint in AWS, the
 *                                    local stand-in in local mode
 *                                    (default: the SDK's regional one)
 */
export interface IotFunctionConfig extends CommonConfig {
  iotDataEndpoint?: string;
}

export function readIotFunctionConfig(
  serviceName: string,
  env: Env = process.env,
): IotFunctionConfig {
  const common = readApiConfig(env);
  const endpoint = env.AWS_ENDPOINT_URL_IOT_DATA_PLANE?.trim();
  return {
    ...common,
    serviceName: env.POWERTOOLS_SERVICE_NAME?.trim() || serviceName,
    iotDataEndpoint: endpoint ? endpoint : undefined,
  };
}
