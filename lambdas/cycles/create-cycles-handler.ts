import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import type { AwsClients } from '../lib/clients.js';
import { UpkeepLambdaError } from '../lib/errors.js';
import { createLogger } from '../lib/logger.js';
import { PolicyLayerStore } from '../lib/policy-layers.js';
import type { IotFunctionConfig } from './config.js';
import { cycleMessagesFor, cycleOf } from './cycle-messages.js';
import type { CyclePublisher } from './publisher.js';

/**
 * The EventBridge Scheduler target. Its input (infra/lib/cycle-schedules.ts):
 *
 *   { "kind": "maintenance", "timeZone": "Europe/Paris",
 *     "scheduledTime": "<aws.scheduler.scheduled-time>" }
 *
 * Scheduler fills in the scheduled time, so a run delayed by the flexible
 * window or a retry still names the window that was due. The handler reads
 * every group's policy layers, publishes one cycle message per group that
 * runs the kind, and fails (for Scheduler to retry) if any publish failed.
 * A retry sends the same cycle ids again, which agents drop as duplicates.
 */
export const cycleEventSchema = z
  .object({
    kind: z.string().min(1),
    timeZone: z.string().min(1).optional(),
    scheduledTime: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export type CycleEvent = z.infer<typeof cycleEventSchema>;

export interface CyclesResult {
  kind: string;
  published: number;
  groups: string[];
}

export interface CyclesDeps {
  config: IotFunctionConfig;
  clients: Pick<AwsClients, 'doc'>;
  publish: CyclePublisher;
  logger?: Logger;
  /** ms since the epoch. @default Date.now */
  now?: () => number;
}

export class CycleEventError extends UpkeepLambdaError {
  constructor(code: 'invalid-event' | 'publish-failed', message: string) {
    super(code, message);
    this.name = 'CycleEventError';
  }
}

export function createCyclesHandler(deps: CyclesDeps) {
  const logger = deps.logger ?? createLogger(deps.config);
  const now = deps.now ?? Date.now;
  const layers = new PolicyLayerStore(deps.clients.doc, deps.config.tableName);

  const run = async (raw: unknown): Promise<CyclesResult> => {
    const event = parseEvent(raw);
    const cycle = cycleOf(event.kind);
    if (!cycle) {
      throw new CycleEventError('invalid-event', `no cycle kind ${event.kind}`);
    }
    const at = event.scheduledTime ? Date.parse(event.scheduledTime) : now();
    const groups = await layers.listGroups();
    const outgoing = cycleMessagesFor(cycle, at, now(), groups, event.timeZone);

    const failed: string[] = [];
    for (const { group, topic, message } of outgoing) {
      await deps.publish(topic, JSON.stringify(message)).catch((error) => {
        // Scheduler retries the whole event; the agents drop repeats.
        logger.warn('cycle publish failed', { group, error: error as Error });
        failed.push(group);
      });
    }
    if (failed.length > 0) {
      throw new CycleEventError(
        'publish-failed',
        `publishing ${event.kind} failed for ${failed.join(', ')}`,
      );
    }
    logger.info('cycle published', {
      kind: event.kind,
      cycleIds: [...new Set(outgoing.map((o) => o.message.cycleId))],
      groups: outgoing.length,
    });
    return {
      kind: event.kind,
      published: outgoing.length,
      groups: outgoing.map((o) => o.group),
    };
  };

  return middy(async (event: unknown, _context: Context) => run(event)).use(
    injectLambdaContext(logger, { resetKeys: true }),
  );
}

function parseEvent(raw: unknown): CycleEvent {
  const parsed = cycleEventSchema.safeParse(raw);
  if (!parsed.success) {
    throw new CycleEventError(
      'invalid-event',
      `a cycle event is {kind, timeZone?, scheduledTime?}: ${parsed.error.message}`,
    );
  }
  return parsed.data;
}
