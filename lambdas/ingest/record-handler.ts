import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import type { Report } from '../../core/schemas/report.js';
import type { DeviceRegistry } from '../lib/device-registry.js';
import type { FindingItem, MetaItem } from '../lib/items.js';
import type { ClientSource } from '../lib/lazy-client.js';
import {
  helloFact,
  lastSeenFact,
  type MetaFact,
  volumesFact,
} from '../lib/meta-facts.js';
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
  /**
   * Stores a report; safe to repeat, and the REPORT item is written once
   * per (thing, reportId) (report-writer.ts).
   */
  storeReport: (input: StoreReportInput) => Promise<WriteSummary>;
  /** Loaded on the first rejection when given as a loader. */
  sqs: ClientSource<SQSClient>;
  deadLetterQueueUrl: string;
  autoRegisterClientId?: string;
  /**
   * Runs after a report is stored: the remedy loop decides new findings and
   * notes re-checks. It gets the check's findings as the write left them
   * and resolves them as it left them. It must be idempotent; a failure
   * leaves the record for SQS to retry, and the stored report is not
   * written twice.
   */
  afterReport?: (
    meta: MetaItem,
    report: Report,
    findings: FindingItem[],
  ) => Promise<FindingItem[]>;
  /**
   * Runs last, once the findings of the report's check are settled: turns
   * their changes into events (lambdas/lib/events). It gets the findings
   * as the report and the remedy loop left them. Idempotent like
   * `afterReport`; a failure leaves the record for SQS to retry.
   */
  afterFindings?: (
    meta: MetaItem,
    report: Report,
    findings: FindingItem[],
  ) => Promise<void>;
  logger: Logger;
  now: () => number;
}

/**
 * Handles one queue record: parse, record what it says about the device
 * (which also reads the device's tenant), store. A permanent rejection goes
 * to the DLQ with its reason and the record counts as processed; any other
 * error propagates, which the batch processor turns into a batchItemFailure
 * so that SQS retries and, in the end, redrives.
 */
export function createRecordHandler(deps: RecordHandlerDeps) {
  return async (record: SQSRecord) => {
    try {
      const message = parseMessage(record.body);
      const meta = await recordFacts(deps, message);
      if (message.kind === 'report') await storeReport(deps, message, meta);
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

/**
 * What the message says about its device (seen, volumes, hello), recorded
 * on META in one request that also returns the registration. Only when
 * that request changes nothing (an unknown device, a late or repeated
 * message) is the registration read, or made with the facts in it, and
 * the facts of a known device recorded one by one.
 */
async function recordFacts(deps: RecordHandlerDeps, message: IngestMessage) {
  const { thingName } = message;
  const facts = factsOf(message);
  const touched = await deps.registry.touch(thingName, facts);
  if (touched) return touched;

  const known = await deps.registry.getMeta(thingName);
  if (!known) return register(deps, thingName, facts);
  await deps.registry.recordEach(thingName, facts);
  return known;
}

function factsOf(message: IngestMessage): MetaFact[] {
  const seen = lastSeenFact(message.receivedAtMs);
  if (message.kind === 'hello') {
    return [seen, helloFact(message.hello, message.receivedAtMs)];
  }
  const volumes = volumesFact(message.report);
  return volumes ? [seen, volumes] : [seen];
}

/**
 * Registers an unknown device under the auto-register client, or refuses
 * it: the tenant never comes from the message.
 */
async function register(
  deps: RecordHandlerDeps,
  thingName: string,
  facts: MetaFact[],
) {
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
    facts,
  );
  deps.logger.info('device registered', {
    thingName,
    clientId: registered.clientId,
  });
  return registered;
}

/**
 * Stores the report, then lets the remedy loop and the events look at the
 * check's findings, as the writes left them: neither reads them again.
 * Both act only on unresolved findings and on findings with a remedy
 * (remedy-loop.ts afterReport), so a check with neither, the usual case,
 * skips them.
 */
async function storeReport(
  deps: RecordHandlerDeps,
  message: Extract<IngestMessage, { kind: 'report' }>,
  meta: MetaItem,
) {
  const { thingName, receivedAtMs, report } = message;
  const { findings, ...summary } = await deps.storeReport({
    thingName,
    clientId: meta.clientId,
    receivedAtMs,
    report,
  });
  deps.logger.debug('report stored', { thingName, ...summary });
  if (!summary.findingsInPlay) return;
  const settled = deps.afterReport
    ? await deps.afterReport(meta, report, findings)
    : findings;
  await deps.afterFindings?.(meta, report, settled);
}
