import path from 'node:path';
import {
  type CheckKind,
  deviceTopic,
  groupCycleTopic,
  isObject,
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
import { childProcessChecks } from './checks/child-checks.js';
import { securityProductsOf } from './checks/security-products.js';
import type { Check } from './checks/types.js';
import type { JobsAgent } from './jobs/index.js';
import { compactAfterWork } from './memory/compact-after-work.js';
import { buildHello } from './messages/hello.js';
import {
  POLICY_SECTION,
  type PolicySync,
  startPolicySync,
} from './policy/policy-sync.js';
import { createConditions } from './scheduler/conditions.js';
import type { Scheduler } from './scheduler/scheduler.js';
import { startAgentCycles } from './scheduler/start-cycles.js';
import { helperZoneTables } from './scheduler/zone-tables.js';
import { StateStore } from './state/state-store.js';
import {
  createMqttSession,
  type MqttSession,
} from './transport/mqtt-session.js';
import { DurableOutbox } from './transport/outbox-durable.js';

/** The outbox journal's folder under the state folder. */
export const OUTBOX_DIR = 'outbox';

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
 *   open the state folder and the outbox journal (replayed on connect)
 *     ─▶ open the MQTT session (hello on every connect, group cycle topics)
 *     ─▶ start the cycle scheduler (catch-up now, then on time), or, with
 *        checkIntervalMs, run disk-space now and every interval
 *
 * Runs do not wait for the broker: a laptop that starts offline still
 * checks itself, and its reports wait in the outbox behind the hello.
 */
export async function startAgent(options: AgentOptions): Promise<AgentHandle> {
  const config = resolveOptions(options);
  config.checks = options.checks ?? (await defaultChecksOf(config));
  const { logger, thingName } = config;
  const state = await StateStore.open(config.stateDir, logger);
  const outbox = await DurableOutbox.open(
    path.join(config.stateDir, OUTBOX_DIR),
    { ...config.outbox, logger },
  );

  const prepareZone = zonePreparer(config);
  // The stored policy is read at once: its zone's table comes first.
  await prepareZone?.(storedTimeZone(state)).catch((error: unknown) => {
    logger.warn('time zone table not made', { error });
  });

  const parts: SessionParts = {};
  let session: MqttSession;
  parts.policy = startPolicySync({
    ...(prepareZone ? { prepareZone } : {}),
    thingName,
    state,
    transport: () => session,
    initial: config.policy,
    // The checks and the hello read config.policy when they run.
    onApply: (policy) => {
      config.policy = policy;
    },
    logger,
  });
  config.policy = parts.policy.current();
  try {
    parts.jobs = config.jobs
      ? (await import('./jobs/agent-jobs.js')).startAgentJobs(
          config,
          state,
          () => session,
          () => parts.runner,
        )
      : undefined;
    session = openSession(config, state, outbox, parts);
  } catch (error) {
    await outbox.close();
    throw error;
  }
  const compactor = compactAfterWork();
  const runner = new CheckRunner(config, state, session, compactor);
  parts.runner = runner;

  if (config.schedule && !config.useInterval) {
    parts.cycles = startCycles(config, state, runner, outbox);
  }
  const schedule =
    config.schedule && config.useInterval
      ? startSchedule(runner, config)
      : parts.cycles;
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
      parts.jobs?.stop();
      await schedule?.stop();
      await runner.idle();
      compactor.stop();
      await drainBriefly(session);
      await session.stop();
      await outbox.close();
      logger.info('agent stopped');
    },
  };
}

/**
 * Every check of the platform: run in helper processes when the agent has
 * a helper command, otherwise loaded into this process (on demand, so
 * that the first never loads them).
 */
async function defaultChecksOf(
  config: ResolvedOptions,
): Promise<readonly Check[]> {
  const { platform, stateDir, helper } = config;
  if (helper) return childProcessChecks({ helper, platform, stateDir });
  const { defaultChecks } = await import('./checks/registry.js');
  return defaultChecks({ platform, stateDir });
}

/**
 * With a helper: makes a zone's offset table in a helper process, so that
 * neither planning nor checking a policy's zone loads ICU data here.
 */
function zonePreparer(config: ResolvedOptions) {
  if (!config.helper) return undefined;
  const tables = helperZoneTables(config.run, config.helper);
  return (timeZone: string) => tables(timeZone, config.now().getTime());
}

/** The zone of the policy kept in the state file; UTC without one. */
function storedTimeZone(state: StateStore) {
  const stored = state.section(POLICY_SECTION);
  const zone = isObject(stored) ? stored.timeZone : undefined;
  return typeof zone === 'string' ? zone : 'UTC';
}

/** What the session's callbacks reach, set once they exist. */
interface SessionParts {
  runner?: CheckRunner;
  cycles?: Scheduler;
  jobs?: JobsAgent;
  policy?: PolicySync;
}

function openSession(
  config: ResolvedOptions,
  state: StateStore,
  outbox: DurableOutbox,
  parts: SessionParts,
) {
  const { logger } = config;
  return createMqttSession({
    brokerUrl: config.brokerUrl,
    clientId: config.thingName,
    tls: config.tls,
    backoff: config.reconnect,
    keepaliveSeconds: config.keepaliveSeconds,
    logger,
    outbox,
    birth: () => helloMessage(config, state, parts.runner?.kinds() ?? []),
    subscriptions: [
      ...config.groups.map(groupCycleTopic),
      ...(parts.jobs?.subscriptions ?? []),
      ...(parts.policy?.subscriptions ?? []),
    ],
    onMessage: (topic, payload) => {
      if (parts.jobs?.handleMessage(topic, payload)) return;
      if (parts.policy?.handleMessage(topic, payload)) return;
      parts.cycles?.receive(payload).catch((error) => {
        logger.warn('cycle message not handled', { error });
      });
    },
    onConnect: () => {
      parts.cycles?.connected();
      parts.jobs?.connected();
      parts.policy?.connected();
    },
  });
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

function startCycles(
  config: ResolvedOptions,
  state: StateStore,
  runner: CheckRunner,
  outbox: DurableOutbox,
) {
  return startAgentCycles({
    cycles: config.cycles,
    policy: config.policy,
    thingName: config.thingName,
    now: config.now,
    state,
    checks: runner,
    hasReceipt: (receipt) => outbox.hasReceipt(receipt),
    logger: config.logger,
    timers: config.timers,
    conditions:
      config.conditions ??
      createConditions({ platform: config.platform, run: config.run }),
    ...(config.helper
      ? { zoneTables: helperZoneTables(config.run, config.helper) }
      : {}),
    tuning: config.scheduler,
  });
}

/** Interval mode (checkIntervalMs): disk-space now and every interval. */
function startSchedule(runner: CheckRunner, config: ResolvedOptions) {
  const { logger } = config;
  const runDiskSpace = () => {
    runner.run('disk-space', 'schedule').catch((error) => {
      logger.error('scheduled disk-space run failed', { error });
    });
  };

  runDiskSpace();
  const timer = setInterval(runDiskSpace, config.checkIntervalMs);
  return { stop: async () => clearInterval(timer) };
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
