import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import {
  cycleGroupOf,
  effectivePolicy,
  type Policy,
} from '../../core/index.js';
import { keys } from '../../core/table.js';
import type { AwsClients } from '../lib/clients.js';
import { applied } from '../lib/conditional.js';
import type { CommonConfig } from '../lib/config.js';
import { DeviceReader } from '../lib/device-reader.js';
import type { FindingEvents } from '../lib/events/finding-events.js';
import type { MetaItem } from '../lib/items.js';
import { createLogger } from '../lib/logger.js';
import { PolicyLayerStore } from '../lib/policy-layers.js';
import {
  MISSED_CODE,
  type MissedContext,
  missedKindsUpdate,
  openMissedUpdate,
  resolveMissedUpdate,
} from './missed-findings.js';
import { overdueKinds } from './overdue.js';
import { type PresenceRecord, presenceOf } from './presence.js';

/**
 * The sweep (EventBridge Scheduler, hourly): every device, its overdue
 * cycle kinds (overdue.ts), a `maintenance.missed` finding per kind when
 * the device's presence says so, and the resolution of those whose kind
 * ran again. It reads META through gsi1 for the whole fleet and a
 * device's CHECK items only when META alone says something is overdue.
 */
export interface SweepResult {
  devices: number;
  raised: number;
  resolved: number;
  /** Overdue but not raised: a clean shutdown or a lost connection still in grace. */
  waiting: number;
}

export interface SweepDeps {
  config: CommonConfig;
  clients: Pick<AwsClients, 'doc'>;
  logger?: Logger;
  /** ms since the epoch. @default Date.now */
  now?: () => number;
  /**
   * Events for missed maintenance, and the outbox sweep that sends what a
   * failed put left pending (docs/events.md). @default no events
   */
  events?: FindingEvents;
}

/** META as the sweep reads it (siteId from enrolment, missedKinds its own). */
type SweptMeta = MetaItem & {
  siteId?: string;
  presence?: PresenceRecord;
  missedKinds?: string[];
};

export function createSweepHandler(deps: SweepDeps) {
  const logger = deps.logger ?? createLogger(deps.config);
  const now = deps.now ?? Date.now;
  const { doc } = deps.clients;
  const table = deps.config.tableName;
  const reader = new DeviceReader(doc, table);
  const layers = new PolicyLayerStore(doc, table);

  const sweepDevice = async (
    meta: SweptMeta,
    policy: Policy,
    at: number,
    result: SweepResult,
  ) => {
    const { presence, sinceMs } = presenceOf(meta, at);
    const evidence = {
      policy,
      lastRuns: meta.hello?.lastRuns ?? {},
      checkFinishedMs: {} as Record<string, number>,
      presence,
      presenceSinceMs: sinceMs,
    };
    let overdue = overdueKinds(evidence, at);
    if (overdue.length > 0) {
      evidence.checkFinishedMs = await latestChecks(meta.thingName);
      overdue = overdueKinds(evidence, at);
    }

    const context: MissedContext = {
      thingName: meta.thingName,
      clientId: meta.clientId,
      presence,
      presenceSinceMs: sinceMs,
      now: at,
    };
    const before = new Set(meta.missedKinds ?? []);
    const after = new Set(before);
    for (const missed of overdue) {
      if (!missed.raise) {
        result.waiting++;
        continue;
      }
      if (before.has(missed.kind)) continue;
      await update(openMissedUpdate(missed, context));
      after.add(missed.kind);
      result.raised++;
      logger.info('maintenance missed', { ...context, kind: missed.kind });
    }
    const stillOverdue = new Set(overdue.map((o) => o.kind));
    for (const kind of before) {
      if (stillOverdue.has(kind)) continue;
      await update(resolveMissedUpdate(meta.thingName, kind, at));
      after.delete(kind);
      result.resolved++;
    }
    if (after.size !== before.size || [...after].some((k) => !before.has(k))) {
      await update(missedKindsUpdate(meta.thingName, [...after].sort()));
    }
    await reconcileMissed(meta.thingName, new Set([...before, ...after]));
  };

  /** Every kind raised or resolved, so a crash between writes heals. */
  const reconcileMissed = async (thingName: string, kinds: Set<string>) => {
    if (!deps.events) return;
    for (const kind of kinds) {
      await deps.events.reconcileKey({
        pk: keys.device(thingName),
        sk: keys.finding(MISSED_CODE, kind),
      });
    }
  };

  const update = (input: Record<string, unknown>) =>
    applied(
      doc.send(new UpdateCommand({ TableName: table, ...input } as never)),
    );

  const latestChecks = async (thingName: string) => {
    const page = await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.device(thingName),
          ':prefix': 'CHECK#',
        },
      }),
    );
    const finished: Record<string, number> = {};
    for (const item of page.Items ?? []) {
      finished[String(item.check)] = Number(item.finishedAtMs);
    }
    return finished;
  };

  const run = async (): Promise<SweepResult> => {
    const at = now();
    const policies = new Map(
      (await layers.listGroups()).map((g) => [
        g.group,
        effectivePolicy(g.layers),
      ]),
    );
    const devices = (await reader.listDevices()) as SweptMeta[];
    const result: SweepResult = {
      devices: devices.length,
      raised: 0,
      resolved: 0,
      waiting: 0,
    };
    for (const meta of devices) {
      const group = cycleGroupOf(meta.clientId, meta.siteId);
      const policy = policies.get(group) ?? effectivePolicy({});
      await sweepDevice(meta, policy, at, result);
    }
    const outbox = deps.events
      ? await deps.events.sender.sweep(deps.events.stillHolds)
      : undefined;
    logger.info('sweep done', { ...result, outbox });
    return result;
  };

  return middy(async (_event: unknown, _context: Context) => run()).use(
    injectLambdaContext(logger, { resetKeys: true }),
  );
}
