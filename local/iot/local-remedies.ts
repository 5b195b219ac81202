import { join } from 'node:path';
import type { AgentLogger } from '../../agent/logger.js';
import { createJobEventsHandler } from '../../lambdas/job-events/create-job-events-handler.js';
import { createClients } from '../../lambdas/lib/clients.js';
import { type Env, readJobEventsConfig } from '../../lambdas/lib/config.js';
import { findingEventsFor } from '../../lambdas/lib/events/events-config.js';
import { signingKeyFromSecret } from '../../lambdas/lib/job-signing.js';
import type { Closers } from '../closers.js';
import type { createSqsStandIn } from '../sqs/index.js';
import { type IotJobs, startIotControlPlane } from './index.js';
import { loadOrCreateSigningSecret } from './signing-secret.js';

type SqsStandIn = Awaited<ReturnType<typeof createSqsStandIn>>;

/**
 * The remedy half of the local back end: the IoT Jobs stand-in, the job
 * signing key in the state folder, the job-events queue with its
 * dead-letter queue, and the job-events handler polling it as an event
 * source mapping would. Queue settings follow infra (infra/lib/remedies.ts).
 */
export const localRemedyDefaults = {
  /** The IoT control plane's HTTP port. */
  iotPort: 18_443,
  accountId: '000000000000',
  queues: {
    jobEvents: 'upkeep-job-events',
    jobEventsDeadLetter: 'upkeep-job-events-dlq',
  },
  /** The job-events function's timeout, ms, as infra deploys it. */
  timeoutMs: 30_000,
  visibilityTimeoutSeconds: 180,
  maxReceiveCount: 5,
  failedRetentionSeconds: 14 * 24 * 3600,
  batchSize: 10,
} as const;

export interface LocalRemedies {
  jobs: IotJobs;
  /** What agents need to trust this deployment's jobs. */
  signing: { keyId: string; publicKeyPem: string };
  queueUrls: { jobEvents: string; jobEventsDeadLetter: string };
  /** The variables the remedy-sending functions get on top of theirs. */
  env: Env;
  /** Starts the job-events handler on its queue, with `env`. */
  startConsumer(env: Env): void;
}

export async function startLocalRemedies(options: {
  stateRoot: string;
  region: string;
  iotPort?: number;
  standIn: SqsStandIn;
  closers: Closers;
  logger: AgentLogger;
  credentials: { accessKeyId: string; secretAccessKey: string };
}): Promise<LocalRemedies> {
  const d = localRemedyDefaults;
  const secret = loadOrCreateSigningSecret(join(options.stateRoot, 'signing'));
  const key = signingKeyFromSecret(secret);
  const jobs = await startIotControlPlane({
    stateDir: join(options.stateRoot, 'iot'),
    port: options.iotPort ?? d.iotPort,
    region: options.region,
    accountId: d.accountId,
  });
  options.closers.add('IoT Jobs stand-in', () => jobs.close());
  jobs.events.on('error', (error) =>
    options.logger.error('IoT Jobs stand-in fault', { error }),
  );

  const queueUrls = createQueues(options.standIn);
  return {
    jobs,
    signing: { keyId: key.keyId, publicKeyPem: key.publicKeyPem },
    queueUrls,
    env: {
      JOB_SIGNING_SECRET: secret,
      THING_ARN_PREFIX: `arn:aws:iot:${options.region}:${d.accountId}:thing/`,
      AWS_ENDPOINT_URL_IOT: jobs.endpoint,
    },
    startConsumer: (env) =>
      startConsumer(options, {
        ...env,
        DEAD_LETTER_QUEUE_URL: queueUrls.jobEventsDeadLetter,
      }),
  };
}

function createQueues(standIn: SqsStandIn) {
  const d = localRemedyDefaults;
  const jobEventsDeadLetter = standIn.createQueue(
    d.queues.jobEventsDeadLetter,
    {
      messageRetentionSeconds: d.failedRetentionSeconds,
    },
  );
  const jobEvents = standIn.createQueue(d.queues.jobEvents, {
    visibilityTimeoutSeconds: d.visibilityTimeoutSeconds,
    deadLetterQueue: {
      name: d.queues.jobEventsDeadLetter,
      maxReceiveCount: d.maxReceiveCount,
    },
  });
  return { jobEvents, jobEventsDeadLetter };
}

function startConsumer(
  options: {
    standIn: SqsStandIn;
    closers: Closers;
    credentials: { accessKeyId: string; secretAccessKey: string };
  },
  env: Env,
) {
  const config = readJobEventsConfig(env);
  const clients = createClients({
    ...config,
    credentials: options.credentials,
  });
  options.closers.add('job-events clients', () => {
    clients.dynamo.destroy();
    clients.sqs.destroy();
    clients.iot.destroy();
  });
  const handler = createJobEventsHandler({
    config,
    clients,
    events: findingEventsFor(env, config, clients.doc, options.credentials),
  });
  const poller = options.standIn.pollQueue(
    localRemedyDefaults.queues.jobEvents,
    handler,
    {
      batchSize: localRemedyDefaults.batchSize,
      functionName: 'upkeep-job-events',
      timeoutMs: localRemedyDefaults.timeoutMs,
    },
  );
  options.closers.add('job-events poller', () => poller.stop());
}
