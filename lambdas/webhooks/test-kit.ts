import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { silentLogger } from '../../agent/logger.js';
import type { Closers } from '../../local/closers.js';
import { startDynalite } from '../../local/dynamo/dynalite.js';
import { ensureTable } from '../../local/dynamo/ensure-table.js';
import type { BusEvent } from '../../local/eventbridge/bus.js';
import { startLocalEvents } from '../../local/eventbridge/local-events.js';
import { createSqsStandIn, LOCAL_ACCOUNT_ID } from '../../local/sqs/index.js';
import { createClients } from '../lib/clients.js';
import type { Env } from '../lib/config.js';
import { createFindingEvents } from '../lib/events/events-config.js';
import { readWebhookSettings } from '../lib/events/webhook-settings.js';
import { verifySignature } from './signature.js';
import { WebhookServices } from './webhook-services.js';

/**
 * Test support for events and webhooks, all real parts on loopback:
 * dynalite with the table, the SQS stand-in, the local event bus with its
 * webhook rule, queue and handler, SDK clients, and receivers.
 */
export const TABLE = 'upkeep-events-test';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export async function startEventsKit(closers: Closers, overrides: Env = {}) {
  const stateRoot = mkdtempSync(join(tmpdir(), 'upkeep-events-'));
  closers.add('state', () =>
    rmSync(stateRoot, { recursive: true, force: true }),
  );
  const dynamo = await startDynalite({});
  closers.add('dynalite', () => dynamo.close());
  const standIn = await createSqsStandIn({});
  closers.add('sqs', () => standIn.close());
  const clients = createClients({
    region: 'us-east-1',
    endpoints: { dynamodb: dynamo.endpoint, sqs: standIn.endpoint },
    credentials,
  });
  closers.add('clients', () => {
    clients.dynamo.destroy();
    clients.sqs.destroy();
  });
  await ensureTable(clients.dynamo, TABLE);

  const events = await startLocalEvents({
    stateRoot,
    region: 'us-east-1',
    accountId: LOCAL_ACCOUNT_ID,
    standIn,
    closers,
    logger: silentLogger,
    credentials,
    overrides: { WEBHOOK_BACKOFF_BASE_SECONDS: '1', ...overrides },
  });
  const env: Env = {
    TABLE_NAME: TABLE,
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SQS: standIn.endpoint,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    ...events.env,
  };
  events.startConsumer(env);

  const settings = readWebhookSettings(env);
  if (!settings) throw new Error('the local events give no webhook settings');
  const eventBridge = new EventBridgeClient({
    region: 'us-east-1',
    endpoint: events.endpoint,
    credentials,
  });
  closers.add('eventbridge client', () => eventBridge.destroy());
  return {
    env,
    clients,
    events,
    standIn,
    eventBridge,
    webhooks: new WebhookServices(clients.doc, TABLE, settings),
    /** Every Upkeep event the bus routes, from a rule of the test's own. */
    capture: () => {
      const seen: BusEvent[] = [];
      events.bus.addRule({
        name: 'test-capture',
        pattern: { source: ['upkeep'] },
        target: async (event) => {
          seen.push(event);
        },
      });
      return seen;
    },
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    /** The finding reconciler with a clock the test moves. */
    findingEvents: (now: () => number, flapWindowSeconds = 24 * 3600) =>
      createFindingEvents({
        config: { busName: events.bus.name, flapWindowSeconds },
        region: 'us-east-1',
        doc: clients.doc,
        tableName: TABLE,
        logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
        now,
        eventBridge,
      }),
  };
}

export interface ReceivedRequest {
  at: number;
  headers: IncomingMessage['headers'];
  body: string;
  status: number;
  /** The receiver's own check of the signature, once it has a secret. */
  verified?: ReturnType<typeof verifySignature>;
}

/**
 * A webhook receiver on 127.0.0.1: answers each request with the next
 * status of `statuses` (the last one repeats), checks the signature as a
 * PSA would once `secret` is set, and keeps what it got.
 */
export async function startReceiver(closers: Closers, statuses: number[]) {
  const received: ReceivedRequest[] = [];
  const state: { secret?: string } = {};
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const status =
      statuses[Math.min(received.length, statuses.length - 1)] ?? 200;
    const body = Buffer.concat(chunks).toString('utf8');
    const header = req.headers['upkeep-signature'];
    received.push({
      at: Date.now(),
      headers: req.headers,
      body,
      status,
      ...(state.secret
        ? {
            verified: verifySignature({
              header: typeof header === 'string' ? header : undefined,
              body,
              secret: state.secret,
              nowSeconds: Math.floor(Date.now() / 1000),
            }),
          }
        : {}),
    });
    res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
  });
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  closers.add('receiver', () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** The subscription's secret, once it is known. */
    useSecret: (secret: string) => {
      state.secret = secret;
    },
  };
}
