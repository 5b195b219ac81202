import { type AgentHandle, startAgent } from '../agent/agent.js';
import { defaultThingName } from '../agent/identity.js';
import type { JobsOptions } from '../agent/jobs/index.js';
import type { AgentLogger } from '../agent/logger.js';
import { bindStateFolder } from '../agent/state/thing-binding.js';
import { cycleGroupOf } from '../core/index.js';
import { backendDefaults } from './backend.js';

export interface LocalAgentOptions {
  brokerUrl: string;
  stateDir: string;
  /** @default localAgentThingName() */
  thingName?: string;
  logger?: AgentLogger;
  /** Remedy jobs: the deployment's public keys. @default no jobs */
  jobs?: JobsOptions;
}

/** What `upkeep local` adds to the host name to name its own agent. */
export const LOCAL_AGENT_SUFFIX = '-local';

/**
 * The stack's own agent is `<host name>-local`, not the host name that
 * `upkeep agent` and `upkeep enroll` default to: two agents with one
 * client id would knock each other off the broker, and the plain listener
 * refuses the name of an enrolled thing.
 */
export function localAgentThingName(host = defaultThingName()) {
  return `${host.slice(0, 128 - LOCAL_AGENT_SUFFIX.length)}${LOCAL_AGENT_SUFFIX}`;
}

/**
 * The agent on this machine, as an enrolled laptop runs it, except that it
 * talks plain MQTT to the loopback broker. It checks disk space at start,
 * so the device and its real volumes show up in the API within seconds.
 */
export async function startLocalAgent(
  options: LocalAgentOptions,
): Promise<AgentHandle> {
  const thingName = options.thingName ?? localAgentThingName();
  await bindStateFolder(options.stateDir, thingName);
  return startAgent({
    brokerUrl: options.brokerUrl,
    thingName,
    stateDir: options.stateDir,
    // Local devices are registered under the client `local`.
    groups: [cycleGroupOf(backendDefaults.autoRegisterClientId)],
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.jobs ? { jobs: options.jobs } : {}),
  });
}
