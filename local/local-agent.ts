import { type AgentHandle, startAgent } from '../agent/agent.js';
import { defaultThingName } from '../agent/identity.js';
import type { JobsOptions } from '../agent/jobs/index.js';
import type { AgentLogger } from '../agent/logger.js';
import { cycleGroupOf } from '../core/index.js';
import { backendDefaults } from './backend.js';

export interface LocalAgentOptions {
  brokerUrl: string;
  stateDir: string;
  /** @default defaultThingName() (from the host name) */
  thingName?: string;
  logger?: AgentLogger;
  /** Remedy jobs: the deployment's public keys. @default no jobs */
  jobs?: JobsOptions;
}

/**
 * The agent on this machine, as an enrolled laptop runs it, except that it
 * talks plain MQTT to the loopback broker. It checks disk space at start,
 * so the device and its real volumes show up in the API within seconds.
 */
export function startLocalAgent(
  options: LocalAgentOptions,
): Promise<AgentHandle> {
  return startAgent({
    brokerUrl: options.brokerUrl,
    thingName: options.thingName ?? defaultThingName(),
    stateDir: options.stateDir,
    // Local devices are registered under the client `local`.
    groups: [cycleGroupOf(backendDefaults.autoRegisterClientId)],
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.jobs ? { jobs: options.jobs } : {}),
  });
}
