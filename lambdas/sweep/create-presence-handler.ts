import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { THING_NAME_PATTERN } from '../../core/index.js';
import type { AwsClients } from '../lib/clients.js';
import { applied } from '../lib/conditional.js';
import type { CommonConfig } from '../lib/config.js';
import { createLogger } from '../lib/logger.js';
import {
  lifecycleEventSchema,
  presenceRecord,
  presenceUpdate,
} from './presence.js';

/**
 * The presence function: the IoT rule on `$aws/events/presence/+/+`
 * invokes it with each lifecycle event; it keeps the latest on the
 * device's META (presence.ts) for the sweep. An event for a client id that
 * is no registered thing (the rule sees every client) is ignored.
 */
export interface PresenceDeps {
  config: CommonConfig;
  clients: Pick<AwsClients, 'doc'>;
  logger?: Logger;
}

export function createPresenceHandler(deps: PresenceDeps) {
  const logger = deps.logger ?? createLogger(deps.config);

  const run = async (raw: unknown) => {
    const parsed = lifecycleEventSchema.safeParse(raw);
    if (!parsed.success || !THING_NAME_PATTERN.test(parsed.data.clientId)) {
      // Not ours to judge: IoT reports every client, tools included.
      logger.debug('lifecycle event ignored', { raw });
      return { stored: false };
    }
    const event = parsed.data;
    const stored = await applied(
      deps.clients.doc.send(
        new UpdateCommand({
          TableName: deps.config.tableName,
          ...presenceUpdate(event.clientId, presenceRecord(event)),
        }),
      ),
    );
    logger.debug('presence', { thingName: event.clientId, stored });
    return { stored };
  };

  return middy(async (event: unknown, _context: Context) => run(event)).use(
    injectLambdaContext(logger, { resetKeys: true }),
  );
}
