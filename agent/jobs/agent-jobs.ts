import type { ResolvedOptions } from '../agent-options.js';
import type { CheckRunner } from '../check-runner.js';
import { AgentError } from '../errors.js';
import type { StateStore } from '../state/state-store.js';
import type { MqttSession } from '../transport/mqtt-session.js';
import { createJobsAgent, type JobsAgent } from './index.js';

/**
 * The jobs part as startAgent wires it: job requests go out through the
 * agent's session (and its durable outbox), re-checks run through its
 * check runner and are published like any report. Built before the
 * session opens, so that a bad key stops the start; the session and the
 * runner are reached through getters because they come later.
 */
export function startAgentJobs(
  config: ResolvedOptions,
  state: StateStore,
  session: () => MqttSession | undefined,
  runner: () => CheckRunner | undefined,
): JobsAgent | undefined {
  if (!config.jobs) return undefined;
  return createJobsAgent({
    options: config.jobs,
    thingName: config.thingName,
    platform: config.platform,
    state,
    transport: {
      publish: (topic, payload) =>
        session()?.publish(topic, payload) ?? Promise.reject(notReady()),
    },
    runCheck: (kind, trigger) =>
      runner()?.run(kind, trigger) ?? Promise.reject(notReady()),
    checks: config.checks,
    policy: config.policy,
    run: config.run,
    logger: config.logger,
    now: config.now,
  });
}

function notReady() {
  return new AgentError('not-started', 'the agent has not finished starting');
}
