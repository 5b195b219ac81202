import { IoTClient } from '@aws-sdk/client-iot';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { onTestFinished } from 'vitest';
import { keys } from '../../core/table.js';
import { startIotControlPlane } from '../../local/iot/index.js';
import { buildContext, buildSqsEvent } from '../../local/sqs/sqs-event.js';
import { createIngestHandler } from '../ingest/create-ingest-handler.js';
import type { ApiConfig } from '../lib/config.js';
import { signingKeyFromSecret } from '../lib/job-signing.js';
import { httpEvent } from '../test-support/http-event.js';
import { startStack } from '../test-support/stack.js';
import { createApiHandler } from './create-api-handler.js';

/**
 * Test support for the api function: dynalite, the IoT Jobs control plane,
 * the real ingest handler to store devices' messages under a client, and
 * the real api handler called with the claims the gateway would pass.
 */
export const SIGNING_SECRET = 'test-signing-secret-of-at-least-32-chars';
export const NOW = Date.parse('2026-12-04T09:05:00.000Z');

export type Caller = 'msp' | `client:${string}` | 'none' | string;

export interface CallOptions {
  as?: Caller;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function apiKit(options: { now?: () => number } = {}) {
  const cleanups: (() => unknown)[] = [];
  onTestFinished(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const stack = await startStack(cleanups);
  const jobs = await startIotControlPlane({ port: 0 });
  cleanups.push(() => jobs.close());
  const iot = new IoTClient({
    region: 'us-east-1',
    endpoint: jobs.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  cleanups.push(() => iot.destroy());

  const config: ApiConfig = {
    ...stack.config,
    serviceName: 'upkeep-api',
    remedies: {
      signingSecret: { kind: 'value', value: SIGNING_SECRET },
      thingArnPrefix: 'arn:aws:iot:us-east-1:000000000000:thing/',
      jobIdPrefix: 'upkeep',
      documentTtlHours: 168,
    },
  };
  const clients = { ...stack.clients, iot };
  const now = options.now ?? (() => NOW);
  const api = createApiHandler({ config, clients, logger: stack.logger, now });

  const call = async (method: string, path: string, o: CallOptions = {}) => {
    const as = o.as ?? 'msp';
    const event = httpEvent(method, path, {
      query: o.query,
      body: o.body,
      headers: o.headers,
      ...(as === 'none' ? {} : { claims: { sub: 'tester', upkeep_scope: as } }),
    });
    const res = (await api(
      event,
      buildContext('api', 10_000, 'us-east-1'),
    )) as APIGatewayProxyStructuredResultV2;
    const headers = Object.fromEntries(
      Object.entries(res.headers ?? {}).map(([k, v]) => [k, String(v)]),
    );
    return {
      status: res.statusCode ?? 0,
      headers: headers as Record<string, string | undefined>,
      json: JSON.parse(String(res.body)),
    };
  };

  return {
    ...stack,
    jobs,
    iot,
    config,
    api,
    call,
    signingKey: signingKeyFromSecret(SIGNING_SECRET),
    ingest: (clientId: string, bodies: string[]) =>
      ingestAs(stack, clientId, bodies),
    /** What enrolment writes for a device that belongs to a site. */
    placeInSite: (thing: string, siteId: string) =>
      stack.clients.doc.send(
        new UpdateCommand({
          TableName: stack.config.tableName,
          Key: { pk: keys.device(thing), sk: keys.meta() },
          UpdateExpression: 'SET siteId = :site',
          ExpressionAttributeValues: { ':site': siteId },
        }),
      ),
  };
}

let messageCount = 0;

/** Stores messages through the real ingest handler, as `clientId`. */
async function ingestAs(
  stack: Awaited<ReturnType<typeof startStack>>,
  clientId: string,
  bodies: string[],
) {
  const handler = createIngestHandler({
    config: { ...stack.config, autoRegisterClientId: clientId },
    clients: stack.clients,
    logger: stack.logger,
  });
  return handler(
    ingestEvent(bodies),
    buildContext('ingest', 10_000, 'us-east-1'),
  );
}

/** An SQS event of the ingest queue carrying `bodies`. */
export function ingestEvent(bodies: string[]) {
  const records = bodies.map((body, i) => ({
    messageId: `00000000-0000-4000-8000-${String(++messageCount).padStart(12, '0')}`,
    receiptHandle: `r${i}`,
    body,
    md5OfBody: '',
    messageAttributes: {},
    senderId: 'AIDALOCALSTANDIN00000',
    sentTimestamp: Date.now(),
    receiveCount: 1,
    visibleAt: 0,
  }));
  return buildSqsEvent(records, { arn: 'arn:test', region: 'us-east-1' });
}
