import {
  type CheckKind,
  deviceTopic,
  type Report,
  type Trigger,
} from '../core/index.js';
import {
  type AgentOptions,
  agentDefaults,
  type ResolvedOptions,
  resolveOptions,
} from './agent-options.js';
import { CheckRunner } from './check-runner.js';
import { securityProductsOf } from './checks/registry.js';
import { buildHello } from './messages/hello.js';
import { StateStore } from './state/state-store.js';
import {
  createMqttSession,
  type MqttSession,
} from './transport/mqtt-session.js';

export type { AgentOptions } from './agent-options.js';

export interface AgentHandle {
  thingName: string;
  /**
   * Runs a check now and queues its report. Resolves with the report once
   * it is queued, not once the broker has it: offline, that can be days.
   * @default trigger 'on-demand'
   */
  runCheck(kind: CheckKind, trigger?: Trigger): Promise<Report>;
  /** Resolves when connected to the broker (now or at the next connect). */
  connected(): Promise<void>;
  /** Resolves once every queued report is acknowledged by the broker. */
  drained(): Promise<void>;
  /** Stops the schedule, lets queued reports go for a moment, disconnects. */
  stop(): Promise<void>;
}

/**
 * Starts the endpoint agent:
 *
 *   open the state folder ─▶ open the MQTT session (hello on every connect)
 *     ─▶ run disk-space now and every checkIntervalMs (when scheduled)
 *
 * The first run does not wait for the broker: a laptop that starts offline
 * still checks itself, and its report waits in the outbox behind the hello.
 *
 * Known limitation: runs are periodic from the agent's start, not catch-up
 * runs of missed cycles from the last run time; the scheduler of issue 3
 * replaces the interval and reads the same state file.
 */
export async function startAgent(options: AgentOptions): Promise<AgentHandle> {
  const config = resolveOptions(options);
  const { logger, thingName } = config;
  const state = await StateStore.open(config.stateDir, logger);

  let runner: CheckRunner | undefined;
  const session = createMqttSession({
    brokerUrl: config.brokerUrl,
    clientId: thingName,
    tls: config.tls,
    backoff: config.reconnect,
    keepaliveSeconds: config.keepaliveSeconds,
    logger,
    birth: () => helloMessage(config, state, runner?.kinds() ?? []),
  });
  runner = new CheckRunner(config, state, session);

  const schedule = config.schedule ? startSchedule(runner, config) : undefined;
  logger.info('agent started', {
    brokerUrl: config.brokerUrl,
    platform: config.platform,
    checks: runner.kinds(),
  });

  return {
    thingName,
    runCheck: (kind, trigger = 'on-demand') => runner.run(kind, trigger),
    connected: () => session.connected(),
    drained: () => session.drained(),
    stop: async () => {
      schedule?.stop();
      await runner.idle();
      await drainBriefly(session);
      await session.stop();
      logger.info('agent stopped');
    },
  };
}

function helloMessage(
  config: ResolvedOptions,
  state: StateStore,
  capabilities: CheckKind[],
) {
  const hello = buildHello({
    thingName: config.thingName,
    now: config.now(),
    platform: config.platform,
    capabilities,
    securityProducts: securityProductsOf(config.checks),
    policyVersion: config.policy.version,
    lastRuns: state.lastRuns(),
  });
  return {
    topic: deviceTopic(config.thingName, 'hello'),
    payload: JSON.stringify(hello),
  };
}

function startSchedule(runner: CheckRunner, config: ResolvedOptions) {
  const { logger } = config;
  const runDiskSpace = () => {
    runner.run('disk-space', 'schedule').catch((error) => {
      logger.error('scheduled disk-space run failed', { error });
    });
  };

  runDiskSpace();
  const timer = setInterval(runDiskSpace, config.checkIntervalMs);
  return { stop: () => clearInterval(timer) };
}

/** Gives reports queued while connected a moment to be acknowledged. */
async function drainBriefly(session: MqttSession) {
  if (!session.isConnected()) return;

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, agentDefaults.stopDrainMs);
  });
  await Promise.race([session.drained(), timeout]);
  clearTimeout(timer);
}
