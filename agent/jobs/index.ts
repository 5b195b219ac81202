import {
  type CheckKind,
  type Policy,
  REMEDIES,
  type Report,
  type Trigger,
} from '../../core/index.js';
import type { AgentPlatform } from '../agent-options.js';
import type { Check } from '../checks/types.js';
import type { AgentLogger } from '../logger.js';
import type { CommandRunner } from '../platform/command.js';
import type { RemedyRegistry } from '../remedies/registry.js';
import type { StateStore } from '../state/state-store.js';
import { ExecutionStore } from './execution-store.js';
import { type executorDefaults, JobExecutor } from './executor.js';
import { JobsClient, type JobsTransport } from './jobs-client.js';
import { loadPublicKeys } from './keys.js';
import { jobsTopics } from './topics.js';
import { verifyJobDocument } from './verify.js';

export { REJECT_REASONS, type RejectReason } from './errors.js';
export { FAILURE_REASONS, type FailureReason } from './final-status.js';
export type { JobsTransport } from './jobs-client.js';
export { jobsTopics } from './topics.js';

/** The agent's `jobs` option. Without it the agent takes no jobs. */
export interface JobsOptions {
  /**
   * The deployment's Ed25519 public keys by key id (a document's
   * `signature.keyId`): PEM, or the raw 32-byte key in base64.
   */
  publicKeys: Record<string, string>;
  /** Wait for a Jobs reply after the PUBACK, ms. @default 30_000 */
  responseTimeoutMs?: number;
  /** Signer's clock ahead of ours that is still fine, ms. @default 300_000 */
  clockSkewMs?: number;
  /** Step timeouts and update retries. @default executorDefaults */
  tuning?: Partial<typeof executorDefaults>;
}

export const jobsDefaults = { clockSkewMs: 300_000 };

/** What the jobs part needs from the agent. */
export interface JobsAgentDeps {
  options: JobsOptions;
  thingName: string;
  platform: AgentPlatform;
  state: StateStore;
  transport: JobsTransport;
  /** The agent's runCheck: the re-check is published like any report. */
  runCheck(kind: CheckKind, trigger: Trigger): Promise<Report>;
  checks: readonly Check[];
  policy: Policy;
  run: CommandRunner;
  logger: AgentLogger;
  now: () => Date;
  /** @default every remedy this agent implements */
  remedies?: RemedyRegistry;
}

export interface JobsAgent {
  /** Topic filters to subscribe to on every connection. */
  subscriptions: readonly string[];
  /** Takes a received message; false when it is not a jobs topic. */
  handleMessage(topic: string, payload: string): boolean;
  /** Call on every connection. */
  connected(): void;
  /** Resolves once the execution in progress, if any, has ended. */
  idle(): Promise<void>;
  stop(): void;
}

/**
 * The jobs part of the agent: the Jobs MQTT client, the executor and the
 * remedy registry. The public keys are read here, so a bad key stops the
 * agent at start (AgentConfigError), not at the first job.
 */
export function createJobsAgent(deps: JobsAgentDeps): JobsAgent {
  const keys = loadPublicKeys(deps.options.publicKeys);
  const remedies = remedyLoader(deps.remedies);
  const logger = deps.logger;
  const client = new JobsClient({
    thingName: deps.thingName,
    transport: deps.transport,
    logger,
    responseTimeoutMs: deps.options.responseTimeoutMs,
  });
  const checkKinds = deps.checks.map((c) => c.kind);
  const clockSkewMs = deps.options.clockSkewMs ?? jobsDefaults.clockSkewMs;

  const executor = new JobExecutor({
    client,
    store: new ExecutionStore(deps.state, logger),
    verify: async (document, checkTimes) =>
      verifyJobDocument(document, {
        thingName: deps.thingName,
        keys,
        now: deps.now(),
        platform: deps.platform,
        remedies: await remedies(),
        checks: checkKinds,
        clockSkewMs,
        checkTimes,
      }),
    runRemedy: (job) =>
      job.remedy.run(
        {
          platform: deps.platform,
          run: deps.run,
          logger,
          now: deps.now,
          policy: deps.policy,
          checks: deps.checks,
          timeoutMs: REMEDIES[job.remedy.name].timeoutMinutes * 60_000,
        },
        job.params,
      ),
    runCheck: deps.runCheck,
    logger,
    now: deps.now,
    tuning: deps.options.tuning,
  });
  client.onNotifyNext((execution) => executor.notified(execution));

  return {
    subscriptions: jobsTopics(deps.thingName).subscriptions,
    handleMessage: (topic, payload) => client.handleMessage(topic, payload),
    connected: () => executor.connected(),
    idle: () => executor.idle(),
    stop: () => {
      executor.stop();
      client.stop();
    },
  };
}

/**
 * The remedy registry, loaded with the first job: it holds every remedy's
 * code, which an agent that gets no job never needs in memory.
 */
function remedyLoader(given: RemedyRegistry | undefined) {
  let loading: Promise<RemedyRegistry> | undefined;
  return () => {
    if (given) return Promise.resolve(given);
    loading ??= import('../remedies/registry.js').then((m) =>
      m.createRemedyRegistry(),
    );
    return loading;
  };
}
