import { DescribeEndpointCommand, IoTClient } from '@aws-sdk/client-iot';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';

/**
 * The IoT data-plane client of a function. Publish needs the account's own
 * `iot:Data-ATS` endpoint (the SDK's regional default serves only some
 * reads), so when AWS_ENDPOINT_URL_IOT_DATA_PLANE does not name it, the
 * first call asks IoT (DescribeEndpoint) and the answer is kept for the
 * container's life.
 */
export type IotDataClientSource = () => Promise<IoTDataPlaneClient>;

export function iotDataClient(options: {
  region: string;
  endpoint?: string;
}): IotDataClientSource {
  let client: Promise<IoTDataPlaneClient> | undefined;
  return () => {
    client ??= resolve(options).catch((error: unknown) => {
      client = undefined;
      throw error;
    });
    return client;
  };
}

async function resolve(options: { region: string; endpoint?: string }) {
  const endpoint = options.endpoint ?? (await describeEndpoint(options.region));
  return new IoTDataPlaneClient({ region: options.region, endpoint });
}

async function describeEndpoint(region: string) {
  const iot = new IoTClient({ region });
  try {
    const out = await iot.send(
      new DescribeEndpointCommand({ endpointType: 'iot:Data-ATS' }),
    );
    if (!out.endpointAddress) throw new Error('IoT named no data endpoint');
    return `https://${out.endpointAddress}`;
  } finally {
    iot.destroy();
  }
}
