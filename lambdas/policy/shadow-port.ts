import {
  GetThingShadowCommand,
  ResourceNotFoundException,
  UpdateThingShadowCommand,
} from '@aws-sdk/client-iot-data-plane';
import type { PolicyOverride } from '../../core/index.js';
import type { IotDataClientSource } from '../lib/iot-data.js';

/** The named shadow `policy`, read and written over the data plane. */
export const POLICY_SHADOW = 'policy';

export interface PolicyShadowPort {
  /** The shadow's desired and reported state, or undefined when none. */
  read(thingName: string): Promise<ShadowState | undefined>;
  writeDesired(thingName: string, desired: PolicyOverride): Promise<void>;
}

export interface ShadowState {
  desired?: PolicyOverride;
  reported?: PolicyOverride;
}

export function iotPolicyShadow(client: IotDataClientSource): PolicyShadowPort {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  return {
    async read(thingName) {
      try {
        const out = await (await client()).send(
          new GetThingShadowCommand({ thingName, shadowName: POLICY_SHADOW }),
        );
        const body = JSON.parse(decoder.decode(out.payload)) as {
          state?: ShadowState;
        };
        return body.state ?? {};
      } catch (error) {
        if (error instanceof ResourceNotFoundException) return undefined;
        throw error;
      }
    },
    async writeDesired(thingName, desired) {
      await (await client()).send(
        new UpdateThingShadowCommand({
          thingName,
          shadowName: POLICY_SHADOW,
          payload: encoder.encode(JSON.stringify({ state: { desired } })),
        }),
      );
    },
  };
}
