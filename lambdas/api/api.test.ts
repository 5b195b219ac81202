import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { buildContext, buildSqsEvent } from '../../local/sqs/sqs-event.js';
import { createIngestHandler } from '../ingest/create-ingest-handler.js';
import { httpEvent } from '../test-support/http-event.js';
import { diskReport, envelope, hello } from '../test-support/messages.js';
import { startStack } from '../test-support/stack.js';
import { createApiHandler } from './create-api-handler.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const context = () => buildContext('api', 10_000, 'us-east-1');

async function setUp() {
  const stack = await startStack(cleanups);
  const api = createApiHandler({
    config: stack.config,
    clients: stack.clients,
    logger: stack.logger,
  });
  /** Stores messages through the real ingest handler, as `clientId`. */
  const ingest = async (clientId: string, bodies: string[]) => {
    const handler = createIngestHandler({
      config: { ...stack.config, autoRegisterClientId: clientId },
      clients: stack.clients,
      logger: stack.logger,
    });
    const records = bodies.map((body, i) => ({
      messageId: `00000000-0000-4000-8000-00000000000${i}`,
      receiptHandle: `r${i}`,
      body,
      md5OfBody: '',
      messageAttributes: {},
      senderId: 'AIDALOCALSTANDIN00000',
      sentTimestamp: Date.now(),
      receiveCount: 1,
      visibleAt: 0,
    }));
    const event = buildSqsEvent(records, {
      arn: 'arn:test',
      region: 'us-east-1',
    });
    return handler(event, context());
  };
  const get = async (
    path: string,
    options?: Parameters<typeof httpEvent>[2],
  ) => {
    const res = (await api(
      httpEvent('GET', path, options),
      context(),
    )) as APIGatewayProxyStructuredResultV2;
    return { ...res, json: JSON.parse(String(res.body)) };
  };
  return { ...stack, api, ingest, get };
}

describe('api handler', () => {
  it('returns a device with its latest checks and open findings', async () => {
    const t = await setUp();
    const report = diskReport('lap-1', { cFreeBytes: 9 * 1024 ** 3 });
    const stored = await t.ingest('local', [
      envelope('lap-1', 'hello', hello('lap-1')),
      envelope('lap-1', 'reports', report),
    ]);

    const res = await t.get('/devices/lap-1');

    expect(stored).toEqual({ batchItemFailures: [] });
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-type']).toMatch(/^application\/json/);
    expect(res.json.device).toMatchObject({
      deviceId: 'lap-1',
      clientId: 'local',
      agentVersion: '0.1.0',
      platform: 'win32',
      lastSeenAt: '2026-12-04T09:00:03.100Z',
    });
    expect(res.json.checks).toEqual([
      expect.objectContaining({
        check: 'disk-space',
        reportId: report.reportId,
        verdict: 'warning',
        findingCount: 1,
        data: report.data,
      }),
    ]);
    expect(res.json.findings).toEqual([
      expect.objectContaining({
        code: 'disk.low-percent',
        subject: 'C:',
        status: 'open',
        occurrences: 1,
      }),
    ]);
    expect(JSON.stringify(res.json)).not.toMatch(/"pk"|gsi1|stateAtMs/);
  });

  it("lists every client's devices, or one client's", async () => {
    const t = await setUp();
    await t.ingest('local', [
      envelope('lap-1', 'hello', hello('lap-1')),
      envelope('lap-2', 'hello', hello('lap-2')),
    ]);
    await t.ingest('acme', [envelope('acme-7', 'hello', hello('acme-7'))]);

    const all = await t.get('/devices');
    const acme = await t.get('/devices', { query: { clientId: 'acme' } });

    expect(all.statusCode).toBe(200);
    expect(
      all.json.devices.map((d: { deviceId: string }) => d.deviceId).sort(),
    ).toEqual(['acme-7', 'lap-1', 'lap-2']);
    expect(acme.json.devices).toEqual([
      expect.objectContaining({
        deviceId: 'acme-7',
        clientId: 'acme',
        hostname: 'HOST-REDACTED',
      }),
    ]);
  });

  it('answers 404, 405 and 400 as JSON errors', async () => {
    const t = await setUp();

    const unknownDevice = await t.get('/devices/lap-404');
    const unknownRoute = await t.get('/nothing/here');
    const badId = await t.get('/devices/bad%20id');
    const post = (await t.api(
      httpEvent('POST', '/devices'),
      context(),
    )) as APIGatewayProxyStructuredResultV2;

    expect(unknownDevice.statusCode).toBe(404);
    expect(unknownDevice.json).toEqual({
      error: { code: 'device-not-found', message: 'no device "lap-404"' },
    });
    expect(unknownRoute.statusCode).toBe(404);
    expect(unknownRoute.json.error.code).toBe('route-not-found');
    expect(badId.statusCode).toBe(400);
    expect(badId.json.error.code).toBe('invalid-device-id');
    expect(post.statusCode).toBe(405);
    expect(post.headers?.allow).toBe('GET');
    expect(JSON.parse(String(post.body)).error.code).toBe('method-not-allowed');
  });

  it('strips a named stage from the path', async () => {
    const t = await setUp();
    await t.ingest('local', [envelope('lap-3', 'hello', hello('lap-3'))]);

    const res = await t.get('/prod/devices/lap-3', { stage: 'prod' });

    expect(res.statusCode).toBe(200);
    expect(res.json.device.deviceId).toBe('lap-3');
  });

  it('answers 500 when the table cannot be read', async () => {
    const t = await setUp();
    const broken = createApiHandler({
      config: { ...t.config, tableName: 'no-such-table' },
      clients: t.clients,
      logger: t.logger,
    });

    const res = (await broken(
      httpEvent('GET', '/devices/lap-1'),
      context(),
    )) as APIGatewayProxyStructuredResultV2;

    expect(res.statusCode).toBe(500);
    expect(JSON.parse(String(res.body))).toEqual({
      error: { code: 'internal', message: 'internal error' },
    });
  });
});
