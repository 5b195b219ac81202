import {
  BatchProcessor,
  EventType,
  processPartialResponse,
} from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { IoTClient } from '@aws-sdk/client-iot';
import type { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Report } from '../../core/schemas/report.js';
import type { AwsClients } from '../lib/clients.js';
import type { IngestConfig } from '../lib/config.js';
import { createRemedyLoop } from '../lib/create-remedy-loop.js';
import { DeviceRegistry } from '../lib/device-registry.js';
import { ConfigError } from '../lib/errors.js';
import type { FindingEvents } from '../lib/events/finding-events.js';
import type { FindingItem, MetaItem } from '../lib/items.js';
import type { JobSigningKey } from '../lib/job-signing.js';
import type { ClientSource } from '../lib/lazy-client.js';
import { createLogger } from '../lib/logger.js';
import { ReportWriter } from '../lib/report-writer.js';
import {
  createRecordHandler,
  type StoreReportInput,
} from './record-handler.js';

export interface IngestDeps {
  config: IngestConfig;
  /**
   * `iot` is needed when config.remedies is set. `sqs` and `iot` may be
   * loaders (lazy-clients.ts): ingest seldom sends to either.
   */
  clients: Pick<AwsClients, 'dynamo' | 'doc'> & {
    sqs: ClientSource<SQSClient>;
    iot?: ClientSource<IoTClient>;
  };
  /** @default a Powertools Logger from config */
  logger?: Logger;
  /** Clock, ms since the epoch. @default Date.now */
  now?: () => number;
  /** @default read from config.remedies.signingSecret once */
  signingKey?: () => Promise<JobSigningKey>;
  /** Finding changes into events (docs/events.md). @default no events */
  events?: FindingEvents;
}

/**
 * The ingest Lambda: SQS batches of rule envelopes (hello and reports) in,
 * partial batch responses out.
 */
export function createIngestHandler(deps: IngestDeps) {
  const { config, clients } = deps;
  const logger = deps.logger ?? createLogger(config);
  const now = deps.now ?? Date.now;
  const writer = new ReportWriter(clients.doc, config.tableName);
  const retentionSeconds = config.reportRetentionDays * 24 * 3600;
  // No idempotency record: the writer's conditional writes make a repeat
  // harmless, and its REPORT item is the record (docs/architecture.md).
  const storeReport = (input: StoreReportInput) =>
    writer.write(
      input.report,
      input,
      Math.floor(now() / 1000) + retentionSeconds,
    );
  const remedies = remedyHook(deps, logger, now);
  const recordHandler = createRecordHandler({
    registry: new DeviceRegistry(clients.doc, config.tableName),
    storeReport,
    ...(remedies ? { afterReport: remedies } : {}),
    ...(deps.events ? { afterFindings: eventsHook(deps.events) } : {}),
    sqs: clients.sqs,
    deadLetterQueueUrl: config.deadLetterQueueUrl,
    autoRegisterClientId: config.autoRegisterClientId,
    logger,
    now,
  });

  return middy(
    async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
      // A processor per invocation: local mode may run invocations at once.
      const processor = new BatchProcessor(EventType.SQS, { logger });
      return processPartialResponse(event, recordHandler, processor, {
        context,
        throwOnFullBatchFailure: false,
      });
    },
  ).use(injectLambdaContext(logger, { resetKeys: true }));
}

/** The remedy loop's report hook, when remedies are configured. */
function remedyHook(deps: IngestDeps, logger: Logger, now: () => number) {
  const { config, clients } = deps;
  if (!config.remedies) return undefined;
  if (!clients.iot) {
    throw new ConfigError(
      'missing-variable',
      'AWS_ENDPOINT_URL_IOT',
      'remedies are configured but the ingest handler has no IoT client',
    );
  }
  const loop = createRemedyLoop({
    config: config.remedies,
    tableName: config.tableName,
    clients: { doc: clients.doc, iot: clients.iot },
    logger,
    now,
    ...(deps.signingKey ? { signingKey: deps.signingKey } : {}),
  });
  return (meta: MetaItem, report: Report, findings: FindingItem[]) =>
    loop.afterReport(meta, report, findings);
}

/** Events for what the report changed in its check's findings. */
function eventsHook(events: FindingEvents) {
  return async (_meta: MetaItem, _report: Report, findings: FindingItem[]) => {
    await events.reconcileHeld(findings);
  };
}
