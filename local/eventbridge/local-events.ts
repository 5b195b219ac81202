import { join } from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { AgentLogger } from '../../agent/logger.js';
import { WEBHOOK_RULE_PATTERN } from '../../core/events.js';
import { createClients } from '../../lambdas/lib/clients.js';
import type { Env } from '../../lambdas/lib/config.js';
import { readWebhooksConfig } from '../../lambdas/webhooks/config.js';
import { createWebhooksHandler } from '../../lambdas/webhooks/create-webhooks-handler.js';
import type { Closers } from '../closers.js';
import { loadOrCreateSigningSecret } from '../iot/signing-secret.js';
import type { createSqsStandIn } from '../sqs/index.js';
import { LocalEventBus } from './bus.js';
import { listenEventBridge } from './server.js';

type SqsStandIn = Awaited<ReturnType<typeof createSqsStandIn>>;

/**
 * The events half of the local back end, as infra/lib/events.ts deploys
 * it: the custom bus (a PutEvents endpoint the real SDK client talks to),
 * the rule that sends every Upkeep event to the webhooks queue, that queue
 * with its dead-letter queue, and the webhooks handler polling it. The
 * master secret that seals subscription secrets lives in the state folder.
 */
export const localEventsDefaults = {
  busName: 'upkeep-events',
  /**
   * The EventBridge stand-in's HTTP port: ephemeral, since only the
   * in-process functions talk to it (their env carries the endpoint).
   */
  port: 0,
  queues: { webhooks: 'upkeep-webhooks', deadLetter: 'upkeep-webhooks-dlq' },
  /** The webhooks function's timeout, ms, as infra deploys it. */
  timeoutMs: 60_000,
  visibilityTimeoutSeconds: 360,
  maxReceiveCount: 5,
  failedRetentionSeconds: 14 * 24 * 3600,
  batchSize: 10,
} as const;

export interface LocalEvents {
  bus: LocalEventBus;
  endpoint: string;
  queueUrls: { webhooks: string; deadLetter: string };
  /** What the functions that publish or manage webhooks get. */
  env: Env;
  /** Starts the webhooks handler on its queue, with `env` on top. */
  startConsumer(env: Env): void;
}

export interface LocalEventsOptions {
  stateRoot: string;
  region: string;
  accountId: string;
  port?: number;
  standIn: SqsStandIn;
  closers: Closers;
  logger: AgentLogger;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Variables that override the defaults (backoff, flapping window). */
  overrides?: Env;
}

export async function startLocalEvents(
  options: LocalEventsOptions,
): Promise<LocalEvents> {
  const d = localEventsDefaults;
  const bus = new LocalEventBus({
    name: d.busName,
    region: options.region,
    account: options.accountId,
  });
  bus.on('delivery-failed', (failure) =>
    options.logger.error('event bus target failed', failure),
  );
  bus.on('fault', (error) =>
    options.logger.error('EventBridge stand-in fault', { error }),
  );
  const server = await listenEventBridge(bus, options.port ?? d.port);
  options.closers.add('EventBridge stand-in', async () => {
    await server.close();
    await bus.drain();
  });

  const queueUrls = createQueues(options.standIn);
  const sqs = new SQSClient({
    region: options.region,
    endpoint: options.standIn.endpoint,
    credentials: options.credentials,
  });
  options.closers.add('event bus SQS client', () => sqs.destroy());
  bus.addRule({
    name: 'upkeep-webhooks',
    pattern: WEBHOOK_RULE_PATTERN,
    target: async (event) => {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrls.webhooks,
          MessageBody: JSON.stringify(event),
        }),
      );
    },
  });

  const env: Env = {
    EVENT_BUS_NAME: d.busName,
    AWS_ENDPOINT_URL_EVENTBRIDGE: server.endpoint,
    // Made on the first start, kept in the state folder (this user only);
    // in AWS the same string is a generated Secrets Manager secret.
    WEBHOOK_KEY_SECRET: loadOrCreateSigningSecret(
      join(options.stateRoot, 'webhooks'),
      'webhook-key',
    ),
    WEBHOOK_URL_MODE: 'local',
    WEBHOOK_QUEUE_URL: queueUrls.webhooks,
    WEBHOOK_DEAD_LETTER_QUEUE_URL: queueUrls.deadLetter,
    ...options.overrides,
  };
  return {
    bus,
    endpoint: server.endpoint,
    queueUrls,
    env,
    startConsumer: (base) => startConsumer(options, { ...base, ...env }),
  };
}

function createQueues(standIn: SqsStandIn) {
  const d = localEventsDefaults;
  const deadLetter = standIn.createQueue(d.queues.deadLetter, {
    messageRetentionSeconds: d.failedRetentionSeconds,
  });
  const webhooks = standIn.createQueue(d.queues.webhooks, {
    visibilityTimeoutSeconds: d.visibilityTimeoutSeconds,
    deadLetterQueue: {
      name: d.queues.deadLetter,
      maxReceiveCount: d.maxReceiveCount,
    },
  });
  return { webhooks, deadLetter };
}

function startConsumer(options: LocalEventsOptions, env: Env) {
  const config = readWebhooksConfig(env);
  const clients = createClients({
    ...config,
    credentials: options.credentials,
  });
  options.closers.add('webhooks clients', () => {
    clients.dynamo.destroy();
    clients.sqs.destroy();
    clients.iot.destroy();
  });
  const handler = createWebhooksHandler({ config, clients });
  const poller = options.standIn.pollQueue(
    localEventsDefaults.queues.webhooks,
    handler,
    {
      batchSize: localEventsDefaults.batchSize,
      functionName: 'upkeep-webhooks',
      timeoutMs: localEventsDefaults.timeoutMs,
    },
  );
  options.closers.add('webhooks poller', () => poller.stop());
}
