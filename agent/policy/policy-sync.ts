import { randomUUID } from 'node:crypto';
import {
  isObject,
  type Policy,
  PolicyError,
  readEffectivePolicy,
} from '../../core/index.js';
import type { AgentLogger } from '../logger.js';
import type { StateStore } from '../state/state-store.js';

/**
 * The agent's side of the named shadow `policy` (docs/cycles.md):
 *
 *   connect ─▶ get ─▶ get/accepted: desired ─▶ apply, keep, report
 *   update/delta (the cloud changed desired) ─▶ get ─▶ ...
 *
 * The cloud writes the effective policy as `state.desired`; the agent
 * applies it when its version differs from the one it runs, keeps it in
 * the state file (section `policy`, so a restart offline runs it too) and
 * reports the document it applied as `state.reported`, which clears the
 * delta. A delta only says that something changed: the agent reads the
 * whole desired document again rather than patching its copy. A policy it
 * cannot read (a field of the wrong type) is refused and logged; the agent
 * keeps the one it has.
 *
 * Known limitation: a new time zone or maintenance window reaches the
 * scheduler at the agent's next start (the scheduler is built with them);
 * the checks and the hello use the new policy at once. A restart of the
 * scheduler on change would fix it.
 */
export const POLICY_SECTION = 'policy';
const SHADOW = 'policy';

export interface PolicyTransport {
  publish(topic: string, payload: string): Promise<void>;
}

export interface PolicySyncOptions {
  thingName: string;
  state: StateStore;
  transport: () => PolicyTransport;
  /** The policy to run before any shadow was read. */
  initial: Policy;
  /** Called with every newly applied policy. */
  onApply?: (policy: Policy) => void;
  /**
   * Awaited with the time zone a desired document names, before the
   * document is read: the agent has its zone table made (which core then
   * knows the zone by), so that checking the zone needs no Intl in the
   * agent. A rejection is logged; the document is still read.
   * @default none
   */
  prepareZone?: (timeZone: string) => Promise<void>;
  logger: AgentLogger;
}

export interface PolicySync {
  /** The policy in force now (from the state file, or `initial`). */
  current(): Policy;
  /** Topic filters to subscribe to. */
  subscriptions: string[];
  /** True when the message was a policy shadow answer (handled). */
  handleMessage(topic: string, payload: string): boolean;
  /** The session (re)connected: ask for the document. */
  connected(): void;
  /** Resolves once the answers received so far are handled. */
  idle(): Promise<void>;
}

export function startPolicySync(options: PolicySyncOptions): PolicySync {
  const prefix = `$aws/things/${options.thingName}/shadow/name/${SHADOW}`;
  const { logger } = options;
  let policy = storedPolicy(options) ?? options.initial;
  let work: Promise<void> = Promise.resolve();

  const send = (suffix: string, body: object) =>
    options
      .transport()
      .publish(`${prefix}/${suffix}`, JSON.stringify(body))
      .catch((error: unknown) => {
        // Offline or stopping: the next connect asks again.
        logger.debug('policy shadow request not sent', { suffix, error });
      });
  const requestDocument = () => {
    void send('get', { clientToken: randomUUID() });
  };

  const onDocument = async (body: unknown) => {
    const desired =
      isObject(body) && isObject(body.state) ? body.state.desired : undefined;
    if (desired === undefined) return;
    await prepareZoneOf(desired, options);
    let next: Policy;
    try {
      next = readEffectivePolicy(desired);
    } catch (error) {
      const path = error instanceof PolicyError ? error.path : undefined;
      logger.warn('policy refused', { code: 'policy-invalid', path, error });
      return;
    }
    const reported =
      isObject(body) && isObject(body.state) ? body.state.reported : undefined;
    if (next.version !== policy.version) {
      policy = next;
      await options.state.writeSection(POLICY_SECTION, desired);
      options.onApply?.(policy);
      logger.info('policy applied', { version: policy.version });
    }
    if (!isObject(reported) || reported.version !== next.version) {
      await send('update', {
        state: { reported: desired },
        clientToken: randomUUID(),
      });
    }
  };

  const handlers: Record<string, (body: unknown) => Promise<void> | void> = {
    'get/accepted': onDocument,
    'update/delta': requestDocument,
    'get/rejected': (body) => {
      // 404: the cloud has not written this device's policy yet.
      logger.debug('no policy shadow yet', { body });
    },
  };

  return {
    current: () => policy,
    subscriptions: Object.keys(handlers).map((suffix) => `${prefix}/${suffix}`),
    handleMessage(topic, payload) {
      if (!topic.startsWith(`${prefix}/`)) return false;
      const handler = handlers[topic.slice(prefix.length + 1)];
      if (!handler) return true;
      work = work
        .then(() => handler(parse(payload)))
        .catch((error: unknown) =>
          logger.warn('policy message failed', { error }),
        );
      return true;
    },
    connected: requestDocument,
    idle: () => work,
  };
}

async function prepareZoneOf(desired: unknown, options: PolicySyncOptions) {
  const zone = isObject(desired) ? desired.timeZone : undefined;
  if (typeof zone !== 'string' || !options.prepareZone) return;
  try {
    await options.prepareZone(zone);
  } catch (error) {
    options.logger.warn('time zone table not made', { timeZone: zone, error });
  }
}

function storedPolicy(options: PolicySyncOptions): Policy | undefined {
  const stored = options.state.section(POLICY_SECTION);
  if (stored === undefined) return undefined;
  try {
    return readEffectivePolicy(stored);
  } catch {
    // Losing it only means running the previous policy until the next get.
    options.logger.warn('stored policy unreadable', {
      code: 'policy-state-invalid',
    });
    return undefined;
  }
}

function parse(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return undefined;
  }
}
