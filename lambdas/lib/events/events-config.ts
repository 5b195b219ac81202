import type { Logger } from '@aws-lambda-powertools/logger';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type CommonConfig,
  type Env,
  optional,
  positiveInt,
} from '../config.js';
import { type ClientSource, loadOnce } from '../lazy-client.js';
import { createLogger } from '../logger.js';
import { EventSender } from './event-sender.js';
import { FindingEvents } from './finding-events.js';
import { Outbox } from './outbox.js';
import { EventPublisher } from './publisher.js';

/**
 * Events are on when EVENT_BUS_NAME is set (docs/events.md):
 *   EVENT_BUS_NAME                the custom bus events are put on
 *   AWS_ENDPOINT_URL_EVENTBRIDGE  endpoint override (local mode)
 *   FLAP_WINDOW_SECONDS           a finding that resolves and comes back
 *                                 within this is flapping (default 24 h)
 */
export const eventsDefaults = {
  flapWindowSeconds: 24 * 3600,
} as const;

export interface EventsConfig {
  busName: string;
  endpoint?: string;
  flapWindowSeconds: number;
}

export function readEventsConfig(env: Env): EventsConfig | undefined {
  const busName = optional(env, 'EVENT_BUS_NAME');
  if (!busName) return undefined;

  const endpoint = optional(env, 'AWS_ENDPOINT_URL_EVENTBRIDGE');
  return {
    busName,
    ...(endpoint ? { endpoint } : {}),
    flapWindowSeconds: positiveInt(
      env,
      'FLAP_WINDOW_SECONDS',
      eventsDefaults.flapWindowSeconds,
    ),
  };
}

export interface EventsDeps {
  config: EventsConfig;
  region: string;
  doc: DynamoDBDocumentClient;
  tableName: string;
  logger: Logger;
  now: () => number;
  /** Static credentials (local mode). @default the provider chain */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** @default a client built from config when the first event is sent */
  eventBridge?: ClientSource<EventBridgeClient>;
}

/** The sender and the finding reconciler a function needs, built once. */
export function createFindingEvents(deps: EventsDeps): FindingEvents {
  const client =
    deps.eventBridge ??
    loadOnce(async (): Promise<EventBridgeClient> => {
      const { EventBridgeClient } = await import('@aws-sdk/client-eventbridge');
      return new EventBridgeClient({
        region: deps.region,
        ...(deps.config.endpoint ? { endpoint: deps.config.endpoint } : {}),
        ...(deps.credentials ? { credentials: deps.credentials } : {}),
      });
    });
  const sender = new EventSender({
    outbox: new Outbox(deps.doc, deps.tableName),
    publisher: new EventPublisher(client, deps.config.busName),
    logger: deps.logger,
    now: deps.now,
  });
  return new FindingEvents({
    doc: deps.doc,
    tableName: deps.tableName,
    sender,
    flapWindowMs: deps.config.flapWindowSeconds * 1000,
  });
}

/**
 * The finding reconciler of a function whose environment may turn events
 * on (EVENT_BUS_NAME); undefined when it does not.
 */
export function findingEventsFromEnv(
  env: Env,
  deps: Omit<EventsDeps, 'config'>,
): FindingEvents | undefined {
  const config = readEventsConfig(env);
  return config ? createFindingEvents({ ...deps, config }) : undefined;
}

/**
 * The reconciler of a Lambda (or its local twin) from its environment and
 * common config: undefined unless EVENT_BUS_NAME is set.
 */
export function findingEventsFor(
  env: Env,
  config: CommonConfig,
  doc: DynamoDBDocumentClient,
  credentials?: EventsDeps['credentials'],
): FindingEvents | undefined {
  return findingEventsFromEnv(env, {
    region: config.region,
    doc,
    tableName: config.tableName,
    logger: createLogger(config),
    now: Date.now,
    ...(credentials ? { credentials } : {}),
  });
}
