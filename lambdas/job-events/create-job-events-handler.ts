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
import type { JobEventsConfig } from '../lib/config.js';
import { createRemedyLoop } from '../lib/create-remedy-loop.js';
import type { FindingEvents } from '../lib/events/finding-events.js';
import type { JobSigningKey } from '../lib/job-signing.js';
import { createLogger } from '../lib/logger.js';
import type { RemedyLoop } from '../lib/remedy-loop.js';
import { JobEventRejectedError, parseJobEvent } from './parse-event.js';

export interface JobEventsDeps {
  config: JobEventsConfig;
  clients: Pick<AwsClients, 'doc' | 'iot' | 'sqs'>;
  /** @default a Powertools Logger from config */
  logger?: Logger;
  /** Clock, ms since the epoch. @default Date.now */
  now?: () => number;
  /** @default read from config.remedies.signingSecret once */
  signingKey?: () => Promise<JobSigningKey>;
  /** Escalations as events (docs/events.md). @default no events */
  events?: FindingEvents;
}

/**
 * The job-events Lambda: SQS batches of job execution events (routed by the
 * `upkeep_job_executions` topic rule) into the remedy loop, partial batch
 * failures out. A duplicate event changes nothing (remedy-loop.ts); a
 * message that is not a job execution event is dead-lettered with a reason.
 */
export function createJobEventsHandler(deps: JobEventsDeps) {
  const { config, clients } = deps;
  const logger = deps.logger ?? createLogger(config);
  const loop = createRemedyLoop({
    config: config.remedies,
    tableName: config.tableName,
    clients,
    logger,
    now: deps.now ?? Date.now,
    ...(deps.signingKey ? { signingKey: deps.signingKey } : {}),
    ...(deps.events ? { events: deps.events } : {}),
  });
  const recordHandler = (record: SQSRecord) =>
    handleRecord(record, loop, deps, logger);

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

async function handleRecord(
  record: SQSRecord,
  loop: RemedyLoop,
  deps: JobEventsDeps,
  logger: Logger,
) {
  try {
    const event = parseJobEvent(record.body);
    const outcome = await loop.onJobEvent(event);
    // Unknown jobs are other tools' jobs in the account: not ours to judge.
    const level =
      outcome === 'unknown-job' || outcome === 'stale' ? 'debug' : 'info';
    logger[level]('job event handled', {
      jobId: event.jobId,
      status: event.status,
      outcome,
    });
  } catch (error) {
    if (!(error instanceof JobEventRejectedError)) {
      // Expected now and then (throttling, a blip): SQS retries it.
      logger.warn('job event failed, left for retry', {
        messageId: record.messageId,
        error: error as Error,
      });
      throw error;
    }
    await deps.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: deps.config.deadLetterQueueUrl,
        MessageBody: record.body,
        MessageAttributes: {
          reason: { DataType: 'String', StringValue: error.code },
          detail: {
            DataType: 'String',
            StringValue: error.message || error.code,
          },
          sourceMessageId: {
            DataType: 'String',
            StringValue: record.messageId,
          },
        },
      }),
    );
    logger.info('job event dead-lettered', {
      messageId: record.messageId,
      reason: error.code,
    });
  }
}
