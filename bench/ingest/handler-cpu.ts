import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { createIngestHandler } from '../../lambdas/ingest/create-ingest-handler.js';
import { parseMessage } from '../../lambdas/ingest/parse-message.js';
import type { IngestConfig } from '../../lambdas/lib/config.js';
import { buildEnvelope } from '../../local/rules/envelope.js';
import { buildContext } from '../../local/sqs/sqs-event.js';
import { BenchError } from '../lib/errors.js';
import {
  type ProfileSummary,
  profiled,
  summariseProfile,
} from '../lib/profile.js';
import { LOCAL_PATH_COMPONENTS } from './components.js';
import { MemoryTransport } from './memory-transport.js';
import { buildFleetPayloads } from './payloads.js';

export interface HandlerCpuOptions {
  devices: number;
  reports: number;
  warmupReports: number;
  batchSize: number;
  /**
   * Also run the warm-up reports once more under the profiler (not
   * counted) and write the V8 profile to this file.
   */
  profileFile?: string;
}

export interface HandlerCpuFigures {
  reports: number;
  /** Whole handler (middy, batch, idempotency, SDK) per report, CPU ms. */
  handlerCpuMsPerReport: number;
  /** The same, wall-clock ms: no I/O wait, so close to the CPU figure. */
  handlerWallMsPerReport: number;
  /** parse, validate and the device check alone, CPU ms per report. */
  parseCpuMsPerReport: number;
  /** SDK requests per report by service and operation. */
  requestsPerReport: Record<string, number>;
  /** Request bodies the SDK built per report, bytes. */
  requestBytesPerReport: number;
  profile?: ProfileSummary;
}

const REGION = 'us-east-1';
// Never contacted: the memory transport answers first. Loopback anyway.
const UNREACHABLE_ENDPOINT = 'http://127.0.0.1:9';

/**
 * CPU per report of the ingest handler without I/O: the real handler from
 * createIngestHandler over SDK clients whose transport answers in memory
 * (memory-transport.ts), fed SQS batches of rule envelopes of the agent's
 * disk-space reports. process.cpuUsage() counts every thread of this
 * process, so garbage collection is included.
 */
export async function measureHandlerCpu(
  options: HandlerCpuOptions,
): Promise<HandlerCpuFigures> {
  const total = options.warmupReports + options.reports;
  const bodies = envelopeBodies(options.devices, total);
  const warm = bodies.slice(0, options.warmupReports);
  const measured = bodies.slice(options.warmupReports);
  const { handler, transport } = memoryHandler();

  await runBatches(handler, warm, options.batchSize);
  transport.reset();
  const handlerRun = await timed(() =>
    runBatches(handler, measured, options.batchSize),
  );
  const requests = [...transport.calls];
  const requestBytes = transport.requestBytes;
  // A separate, unmeasured pass: the profiler slows what it watches.
  const profile = options.profileFile
    ? await profiled(
        () => runBatches(handler, warm, options.batchSize),
        options.profileFile,
      )
    : undefined;

  for (const body of warm) parseMessage(body);
  const parseRun = await timed(async () => {
    for (const body of measured) parseMessage(body);
  });

  const n = measured.length;
  return {
    reports: n,
    handlerCpuMsPerReport: handlerRun.cpuMs / n,
    handlerWallMsPerReport: handlerRun.wallMs / n,
    parseCpuMsPerReport: parseRun.cpuMs / n,
    requestsPerReport: Object.fromEntries(
      requests.map(([op, count]) => [op, count / n]),
    ),
    requestBytesPerReport: requestBytes / n,
    ...(profile
      ? {
          profile: summariseProfile(profile.profile, LOCAL_PATH_COMPONENTS),
        }
      : {}),
  };
}

/** Queue message bodies, as the reports topic rule builds them. */
function envelopeBodies(devices: number, reports: number): string[] {
  const fleet = buildFleetPayloads(devices, reports);
  const longest = Math.max(...fleet.map((d) => d.reports.length));
  const bodies: string[] = [];
  // Round-robin over devices, as many devices reporting at once would be.
  for (let i = 0; i < longest; i++) {
    for (const device of fleet) {
      const report = device.reports[i];
      if (!report) continue;
      const envelope = buildEnvelope({
        topic: report.topic,
        payload: Buffer.from(report.payload),
        clientId: device.thingName,
        receivedAt: Date.parse('2026-12-01T09:00:00.000Z') + i * 60_000,
      });
      bodies.push(JSON.stringify(envelope));
    }
  }
  return bodies;
}

type Handler = (event: SQSEvent, context: Context) => Promise<unknown>;

function memoryHandler() {
  const transport = new MemoryTransport();
  const common = {
    region: REGION,
    endpoint: UNREACHABLE_ENDPOINT,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    requestHandler: transport.asRequestHandler(),
  };
  const dynamo = new DynamoDBClient(common);
  const doc = DynamoDBDocumentClient.from(dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const sqs = new SQSClient(common);
  const handler: Handler = createIngestHandler({
    config: benchConfig(),
    clients: { dynamo, doc, sqs },
    logger: new Logger({ serviceName: 'upkeep-ingest', logLevel: 'SILENT' }),
  });
  return { handler, transport };
}

function benchConfig(): IngestConfig {
  return {
    tableName: 'upkeep',
    region: REGION,
    endpoints: {},
    serviceName: 'upkeep-ingest',
    logLevel: 'SILENT',
    deadLetterQueueUrl: `${UNREACHABLE_ENDPOINT}/000000000000/upkeep-dlq`,
    autoRegisterClientId: 'local',
    reportRetentionDays: 90,
  };
}

async function runBatches(handler: Handler, bodies: string[], size: number) {
  for (let i = 0; i < bodies.length; i += size) {
    const event = { Records: bodies.slice(i, i + size).map(sqsRecord) };
    const context = buildContext('upkeep-ingest', 30_000, REGION);
    const response = (await handler(event, context)) as {
      batchItemFailures: unknown[];
    };
    // A failed record would measure the error path, not the store path.
    if (response.batchItemFailures.length > 0) {
      throw new BenchError(
        'measured-code-failed',
        `handler failed ${response.batchItemFailures.length} records ` +
          'of a benchmark batch',
      );
    }
  }
}

function sqsRecord(body: string): SQSRecord {
  const now = String(Date.now());
  return {
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: now,
      SenderId: 'AIDALOCALBENCH0000000',
      ApproximateFirstReceiveTimestamp: now,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:${REGION}:000000000000:upkeep-ingest`,
    awsRegion: REGION,
  };
}

async function timed(work: () => Promise<void>) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs };
}
