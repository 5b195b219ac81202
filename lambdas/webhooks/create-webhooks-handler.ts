import {
  BatchProcessor,
  EventType,
  processPartialResponse,
} from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type {
  Context,
  SQSBatchResponse,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';
import type { AwsClients } from '../lib/clients.js';
import { createLogger } from '../lib/logger.js';
import { readSigningSecret } from '../lib/signing-secret.js';
import type { WebhooksConfig } from './config.js';
import { Deliveries, type DeliveryJob } from './deliveries.js';
import { DeliveryLog } from './delivery-log.js';
import { SecretBox } from './secret-box.js';
import { SubscriptionStore } from './subscriptions.js';

export interface WebhooksDeps {
  config: WebhooksConfig;
  clients: Pick<AwsClients, 'doc' | 'sqs'>;
  /** @default a Powertools Logger from config */
  logger?: Logger;
  /** ms since the epoch. @default Date.now */
  now?: () => number;
  /** In [0, 1), for jitter. @default Math.random */
  random?: () => number;
}

/**
 * The webhooks Lambda, on its SQS queue. A message is either an event the
 * bus rule put there (EventBridge's envelope: fan out) or a delivery job
 * (one attempt). A message that is neither goes to the dead-letter queue
 * with its reason; a DynamoDB or SQS failure leaves the record for SQS to
 * retry (partial batch response).
 */
export function createWebhooksHandler(deps: WebhooksDeps) {
  const { config, clients } = deps;
  const logger = deps.logger ?? createLogger(config);
  let deliveries: Promise<Deliveries> | undefined;
  const ready = () => {
    deliveries ??= build(deps, logger).catch((error: unknown) => {
      deliveries = undefined;
      throw error;
    });
    return deliveries;
  };

  const recordHandler = async (record: SQSRecord) => {
    const message = parse(record.body);
    if (message?.kind === 'event') {
      await (await ready()).fanOut(message.detail);
    } else if (message?.kind === 'delivery') {
      await (await ready()).attempt(message.job);
    } else {
      await clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: config.deadLetterQueueUrl,
          MessageBody: record.body,
          MessageAttributes: {
            reason: { DataType: 'String', StringValue: 'unrecognised' },
          },
        }),
      );
      logger.warn('unrecognised message dead-lettered', {
        messageId: record.messageId,
      });
    }
  };

  return middy(
    async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
      const processor = new BatchProcessor(EventType.SQS, { logger });
      return processPartialResponse(event, recordHandler, processor, {
        context,
        throwOnFullBatchFailure: false,
      });
    },
  ).use(injectLambdaContext(logger, { resetKeys: true }));
}

async function build(deps: WebhooksDeps, logger: Logger) {
  const { config, clients } = deps;
  const master = await readSigningSecret(config.keySecret);
  return new Deliveries({
    config,
    sqs: clients.sqs,
    subscriptions: new SubscriptionStore(
      clients.doc,
      config.tableName,
      new SecretBox(master),
    ),
    log: new DeliveryLog(clients.doc, config.tableName),
    logger,
    now: deps.now ?? Date.now,
    random: deps.random ?? Math.random,
  });
}

type Message =
  | { kind: 'event'; detail: unknown }
  | { kind: 'delivery'; job: DeliveryJob };

function parse(body: string): Message | undefined {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (value?.kind === 'delivery') {
    return { kind: 'delivery', job: value as unknown as DeliveryJob };
  }
  if (typeof value?.['detail-type'] === 'string' && 'detail' in value) {
    return { kind: 'event', detail: value.detail };
  }
  return undefined;
}
