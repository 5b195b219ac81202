import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import type { Report } from '../../core/schemas/report.js';
import type { DeviceRegistry } from '../lib/device-registry.js';
import type { MetaItem } from '../lib/items.js';
import type { WriteSummary } from '../lib/report-writer.js';
import { deadLetter } from './dead-letter.js';
import { type IngestMessage, parseMessage } from './parse-message.js';
import { MessageRejectedError } from './rejection.js';

export interface StoreReportInput {
  thingName: string;
  clientId: string;
  receivedAtMs: number;
  report: Report;
}

export interface RecordHandlerDeps {
  registry: DeviceRegistry;
  /** Stores a report once per (thing, reportId): the idempotent writer. */
  storeReport: (input: StoreReportInput) => Promise<WriteSummary>;
  sqs: SQSClient;
  deadLetterQueueUrl: string;
  autoRegisterClientId?: string;
  /**
   * Runs after a report is stored: the remedy loop decides new findings and
   * notes re-checks. It must be idempotent; a failure leaves the record for
   * SQS to retry, and the stored report is not written twice.
   */
  afterReport?: (meta: MetaItem, report: Report) => Promise<void>;
  logger: Logger;
  now: () => number;
}

/**
 * Handles one queue record: parse, find the device's tenant, store. A
 * permanent rejection goes to the DLQ with its reason and the record counts
 * as processed; any other error propagates, which the batch processor turns
 * into a batchItemFailure so that SQS retries and, in the end, redrives.
 */
export function createRecordHandler(deps: RecordHandlerDeps) {
  return async (record: SQSRecord) => {
    try {
      const message = parseMessage(record.body);
      const meta = await resolveDevice(deps, message.thingName);
      await store(deps, message, meta);
    } catch (error) {
      if (!(error instanceof MessageRejectedError)) {
        // Expected now and then (throttling, a blip): SQS retries it.
        deps.logger.warn('record failed, left for retry', {
          messageId: record.messageId,
          error: error as Error,
        });
        throw error;
      }
      await deadLetter(deps.sqs, deps.deadLetterQueueUrl, record, error);
      deps.logger.info('record dead-lettered', {
        messageId: record.messageId,
        reason: error.code,
        detail: error.message,
        thingName: error.thingName,
      });
    }
  };
}

/** The device's registration; the tenant never comes from the message. */
async function resolveDevice(deps: RecordHandlerDeps, thingName: string) {
  const meta = await deps.registry.getMeta(thingName);
  if (meta) return meta;

  if (deps.autoRegisterClientId === undefined) {
    throw new MessageRejectedError(
      'unknown-device',
      `device "${thingName}" is not registered`,
      thingName,
    );
  }
  const registered = await deps.registry.register(
    thingName,
    deps.autoRegisterClientId,
    deps.now(),
  );
  deps.logger.info('device registered', {
    thingName,
    clientId: registered.clientId,
  });
  return registered;
}

async function store(
  deps: RecordHandlerDeps,
  message: IngestMessage,
  meta: MetaItem,
) {
  const { thingName, receivedAtMs } = message;
  if (message.kind === 'hello') {
    await deps.registry.recordHello(thingName, message.hello, receivedAtMs);
    deps.logger.debug('hello stored', { thingName });
  } else {
    const summary = await deps.storeReport({
      thingName,
      clientId: meta.clientId,
      receivedAtMs,
      report: message.report,
    });
    await deps.registry.recordVolumes(thingName, message.report);
    deps.logger.debug('report stored', { thingName, ...summary });
    await deps.afterReport?.(meta, message.report);
  }
  await deps.registry.touchLastSeen(thingName, receivedAtMs);
}
