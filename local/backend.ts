import type { SQSClient } from '@aws-sdk/client-sqs';
import type { AgentLogger } from '../agent/logger.js';
import { createApiHandler } from '../lambdas/api/create-api-handler.js';
import * as ingest from '../lambdas/ingest/create-ingest-handler.js';
import { type AwsClients, createClients } from '../lambdas/lib/clients.js';
import {
  type Env,
  readApiConfig,
  readIngestConfig,
} from '../lambdas/lib/config.js';
import { findingEventsFor } from '../lambdas/lib/events/events-config.js';
import type { Closers } from './closers.js';
import { ensureTable, startDynalite, startTtlSweeper } from './dynamo/index.js';
import {
  type LocalEvents,
  startLocalEvents,
} from './eventbridge/local-events.js';
import type { HttpApiHandler } from './http-api/server.js';
import { type SqsBatchHandler, watchIngest } from './ingest-watch.js';
import {
  type LocalRemedies,
  startLocalRemedies,
} from './iot/local-remedies.js';
import type { IngestOutcome } from './report-lines.js';
import { createSqsStandIn, LOCAL_ACCOUNT_ID } from './sqs/index.js';
import type { StateLayout } from './state-dir.js';

/**
 * The values that make the handlers "local": everything else about them is
 * what runs in Lambda. Queue settings follow infra/lib/queues.ts.
 */
export const backendDefaults = {
  region: 'us-east-1',
  tableName: 'upkeep',
  queues: {
    ingest: 'upkeep-ingest',
    deadLetter: 'upkeep-ingest-dlq',
    ruleErrors: 'upkeep-rule-errors',
  },
  /** The ingest function's timeout, ms, as infra deploys it. */
  ingestTimeoutMs: 30_000,
  /** Six times the consumer's timeout, as AWS advises and infra sets, s. */
  visibilityTimeoutSeconds: 180,
  /** Receives before redrive to the dead-letter queue. */
  maxReceiveCount: 5,
  /** Failed messages stay for inspection as long as SQS allows, s. */
  failedRetentionSeconds: 14 * 24 * 3600,
  /** Messages per ingest invocation: the SQS event source maximum. */
  batchSize: 10,
  /** Unknown devices are registered under this client, not rejected. */
  autoRegisterClientId: 'local',
  /**
   * Powertools writes INFO and DEBUG to stdout, where the human lines go;
   * WARN and above go to stderr. POWERTOOLS_LOG_LEVEL overrides it.
   */
  logLevel: 'WARN',
  /** dynalite and the SQS stand-in accept any signature. */
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

export interface BackendOptions {
  layout: StateLayout;
  sqsPort: number;
  dynamoPort: number;
  closers: Closers;
  /** Receives the parts' error events; the parts themselves never log. */
  logger: AgentLogger;
  onOutcome: (outcome: IngestOutcome) => void;
  /** POWERTOOLS_LOG_LEVEL for the handlers. @default 'WARN' */
  logLevel?: string;
  /** The IoT control plane's port. @default 18443 */
  iotPort?: number;
  /**
   * Event and webhook variables over the local defaults (backoff, the
   * flapping window; docs/events.md). @default none
   */
  eventsOverrides?: Env;
}

export interface Backend {
  dynamoEndpoint: string;
  sqsEndpoint: string;
  queueUrls: Record<keyof typeof backendDefaults.queues, string>;
  /** An SQS client for the rule engine and for callers. */
  sqs: SQSClient;
  apiHandler: HttpApiHandler;
  /** IoT Jobs, the signing key and the job-events queues. */
  remedies: LocalRemedies;
  /** The event bus, the webhooks queues and their handler. */
  events: LocalEvents;
}

/**
 * dynalite with the table, the SQS stand-in with the ingest queues, and the
 * ingest and API handlers built from an env record as Lambda builds them
 * from its environment. Each part is registered with `closers` as soon as
 * it runs.
 */
export async function startBackend(options: BackendOptions): Promise<Backend> {
  const dynamo = await startDynamo(options);
  const { standIn, queueUrls } = await startQueues(options);
  const remedies = await startLocalRemedies({
    stateRoot: options.layout.root,
    region: backendDefaults.region,
    iotPort: options.iotPort,
    standIn,
    closers: options.closers,
    logger: options.logger,
    credentials: backendDefaults.credentials,
  });

  const events = await startLocalEvents({
    stateRoot: options.layout.root,
    region: backendDefaults.region,
    accountId: LOCAL_ACCOUNT_ID,
    standIn,
    closers: options.closers,
    logger: options.logger,
    credentials: backendDefaults.credentials,
    overrides: options.eventsOverrides,
  });

  const env = {
    ...lambdaEnv(options, dynamo.endpoint, standIn.endpoint, queueUrls),
    ...remedies.env,
    ...events.env,
  };
  const clients = clientsFrom(env, options.closers);
  await startTable(clients, options);
  startIngest(standIn, env, queueUrls.deadLetter, options);
  remedies.startConsumer(env);
  events.startConsumer(env);

  return {
    dynamoEndpoint: dynamo.endpoint,
    sqsEndpoint: standIn.endpoint,
    queueUrls,
    sqs: clients.sqs,
    apiHandler: createApiHandler({ config: readApiConfig(env), clients }),
    remedies,
    events,
  };
}

async function startDynamo(options: BackendOptions) {
  const dynamo = await startDynalite({
    dataDir: options.layout.dynamo,
    port: options.dynamoPort,
  });
  options.closers.add('dynalite', () => dynamo.close());
  return dynamo;
}

async function startQueues(options: BackendOptions) {
  const standIn = await createSqsStandIn({
    stateDir: options.layout.sqs,
    port: options.sqsPort,
    region: backendDefaults.region,
  });
  options.closers.add('SQS stand-in', () => standIn.close());
  watchSqs(standIn, options.logger);
  return { standIn, queueUrls: createQueues(standIn) };
}

/** The table (created on the first start) and its TTL sweeper. */
async function startTable(clients: AwsClients, options: BackendOptions) {
  await ensureTable(clients.dynamo, backendDefaults.tableName);
  const sweeper = startTtlSweeper(clients.dynamo, backendDefaults.tableName);
  options.closers.add('TTL sweeper', () => sweeper.stop());
  // Expected now and then (dynalite busy); the next sweep catches up.
  sweeper.on('error', (error) =>
    options.logger.warn('TTL sweep failed', { error }),
  );
}

/** The event source mapping: the ingest queue polled into the handler. */
function startIngest(
  standIn: SqsStandIn,
  env: Env,
  deadLetterQueueUrl: string,
  options: BackendOptions,
) {
  const handler = ingestHandler(env, deadLetterQueueUrl, options);
  const poller = standIn.pollQueue(backendDefaults.queues.ingest, handler, {
    batchSize: backendDefaults.batchSize,
    functionName: 'upkeep-ingest',
    timeoutMs: backendDefaults.ingestTimeoutMs,
  });
  options.closers.add('ingest poller', () => poller.stop());
}

type SqsStandIn = Awaited<ReturnType<typeof createSqsStandIn>>;

function watchSqs(sqs: SqsStandIn, logger: AgentLogger) {
  // An `error` event without a listener would end the process.
  sqs.on('error', (error) => logger.error('SQS stand-in fault', { error }));
  // The batch stays on the queue and is retried; redrive is the last resort.
  sqs.on('invocationError', ({ queue, error }) =>
    logger.warn('ingest invocation failed, batch left for retry', {
      queue,
      error,
    }),
  );
}

function createQueues(sqs: SqsStandIn): Backend['queueUrls'] {
  const { queues } = backendDefaults;
  // The dead-letter queue must exist before the queue that redrives to it.
  const failed = {
    messageRetentionSeconds: backendDefaults.failedRetentionSeconds,
  };
  const deadLetter = sqs.createQueue(queues.deadLetter, failed);
  const ruleErrors = sqs.createQueue(queues.ruleErrors, failed);
  const ingest = sqs.createQueue(queues.ingest, {
    visibilityTimeoutSeconds: backendDefaults.visibilityTimeoutSeconds,
    deadLetterQueue: {
      name: queues.deadLetter,
      maxReceiveCount: backendDefaults.maxReceiveCount,
    },
  });
  return { ingest, deadLetter, ruleErrors };
}

/** The environment Lambda would give the functions, aimed at loopback. */
function lambdaEnv(
  options: BackendOptions,
  dynamoEndpoint: string,
  sqsEndpoint: string,
  queueUrls: Backend['queueUrls'],
): Env {
  return {
    TABLE_NAME: backendDefaults.tableName,
    DEAD_LETTER_QUEUE_URL: queueUrls.deadLetter,
    AUTO_REGISTER_CLIENT_ID: backendDefaults.autoRegisterClientId,
    AWS_REGION: backendDefaults.region,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    AWS_ENDPOINT_URL_SQS: sqsEndpoint,
    POWERTOOLS_LOG_LEVEL: options.logLevel ?? backendDefaults.logLevel,
  };
}

function clientsFrom(env: Env, closers: Closers): AwsClients {
  const config = readApiConfig(env);
  const clients = createClients({
    region: config.region,
    endpoints: config.endpoints,
    credentials: backendDefaults.credentials,
  });
  closers.add('AWS clients', () => {
    clients.dynamo.destroy();
    clients.sqs.destroy();
    clients.iot.destroy();
  });
  return clients;
}

/**
 * The ingest handler gets SDK clients of its own, so that watching its
 * dead-letter sends sees nothing else.
 */
function ingestHandler(
  env: Env,
  deadLetterQueueUrl: string,
  options: BackendOptions,
): SqsBatchHandler {
  const clients = clientsFrom(env, options.closers);
  const config = readIngestConfig(env);
  const handler = ingest.createIngestHandler({
    config,
    clients,
    events: findingEventsFor(
      env,
      config,
      clients.doc,
      backendDefaults.credentials,
    ),
  });
  return watchIngest(
    handler,
    clients.sqs,
    deadLetterQueueUrl,
    options.onOutcome,
  );
}
