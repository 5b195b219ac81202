import { describe, expect, it } from 'vitest';
import { ingestEvent } from '../../lambdas/api/test-kit.js';
import { createIngestHandler } from '../../lambdas/ingest/create-ingest-handler.js';
import { createClients } from '../../lambdas/lib/clients.js';
import { readIngestConfig } from '../../lambdas/lib/config.js';
import {
  diskReport,
  envelope,
  hello,
} from '../../lambdas/test-support/messages.js';
import { backendDefaults } from '../backend.js';
import { buildContext } from '../sqs/sqs-event.js';
import {
  connectDevice,
  startTestStack,
  tempStateDir,
  waitFor,
} from '../test-support.js';
import { openApiContract } from './contract-kit.js';

/**
 * Contract: every answer of the API, through the local gateway (JWT
 * authorizer and all) to the real handler on dynalite, is valid against
 * docs/openapi.json for its operation and status, errors included; and
 * every documented operation (all route modules: devices to webhooks) is
 * called with a success and an error.
 */
const contract = openApiContract();

/** Every tag of the document: a new route module's tag fails until added. */
const TAGS = [
  'meta',
  'devices',
  'clients',
  'findings',
  'runs',
  'policies',
  'patches',
  'webhooks',
];

/** A parsed body; the schema check, not the type, vouches for it. */
// biome-ignore lint/suspicious/noExplicitAny: checked against the schema
type Body = any;

interface Call {
  method: string;
  /** The operation's path template. */
  op: string;
  path: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  query?: Record<string, string>;
}

async function seedOtherClient(stack: {
  dynamoEndpoint: string;
  sqsEndpoint: string;
  queueUrls: { deadLetter: string };
}) {
  const env = {
    TABLE_NAME: backendDefaults.tableName,
    DEAD_LETTER_QUEUE_URL: stack.queueUrls.deadLetter,
    AUTO_REGISTER_CLIENT_ID: 'globex',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_DYNAMODB: stack.dynamoEndpoint,
    AWS_ENDPOINT_URL_SQS: stack.sqsEndpoint,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
  const config = readIngestConfig(env);
  const clients = createClients({
    ...config,
    credentials: backendDefaults.credentials,
  });
  const handler = createIngestHandler({ config, clients });
  const bodies = [
    envelope('gx-1', 'hello', hello('gx-1')),
    envelope('gx-1', 'reports', diskReport('gx-1', { cFreeBytes: 1024 ** 3 })),
  ];
  const event = ingestEvent(bodies);
  const result = await handler(
    event,
    buildContext('ingest', 10_000, 'us-east-1'),
  );
  clients.dynamo.destroy();
  clients.sqs.destroy();
  clients.iot.destroy();
  return result;
}

describe('the API contract', () => {
  it('answers every operation as docs/openapi.json says', async () => {
    const { stack } = await startTestStack(tempStateDir());
    const device = await connectDevice(stack.mqttUrl, 'lap-1');
    const low = diskReport('lap-1', {
      cFreeBytes: 1024 ** 3,
      finishedAt: new Date(Date.now() - 60_000).toISOString(),
    });
    await device.publishAsync(
      'upkeep/v1/devices/lap-1/hello',
      JSON.stringify({ ...hello('lap-1'), sentAt: new Date().toISOString() }),
      { qos: 1 },
    );
    await device.publishAsync(
      'upkeep/v1/devices/lap-1/reports',
      JSON.stringify(low),
      { qos: 1 },
    );
    expect(await seedOtherClient(stack)).toEqual({ batchItemFailures: [] });

    const msp = await stack.mintToken('msp');
    const local = await stack.mintToken('client:local');
    const globex = await stack.mintToken('client:globex');
    const seen = new Map<string, Set<number>>();
    const problems: string[] = [];

    const call = async (c: Call) => {
      const query = c.query ? `?${new URLSearchParams(c.query)}` : '';
      const response = await fetch(`${stack.apiUrl}${c.path}${query}`, {
        method: c.method,
        headers: {
          ...(c.token ? { authorization: `Bearer ${c.token}` } : {}),
          ...(c.body === undefined
            ? {}
            : { 'content-type': 'application/json' }),
          ...c.headers,
        },
        body: c.body === undefined ? undefined : JSON.stringify(c.body),
      });
      const text = await response.text();
      const body: Body = text === '' ? undefined : JSON.parse(text);
      const { operationId, errors } = contract.check(
        c.method,
        c.op,
        response.status,
        body,
      );
      for (const error of errors) {
        problems.push(`${c.method} ${c.path} ${response.status}: ${error}`);
      }
      const statuses = seen.get(operationId) ?? new Set<number>();
      statuses.add(response.status);
      seen.set(operationId, statuses);
      return { status: response.status, body, headers: response.headers };
    };

    // The device is stored once its report is in.
    await waitFor(
      () =>
        call({
          method: 'GET',
          op: '/devices/{deviceId}',
          path: '/devices/lap-1',
          token: msp,
        }),
      (r) => r.status === 200 && r.body.checks.length === 1,
    );

    const get = (
      op: string,
      path: string,
      token?: string,
      query?: Record<string, string>,
    ) => call({ method: 'GET', op, path, token, query });

    await get('/openapi.json', '/openapi.json');
    await get('/devices', '/devices', msp);
    await get('/devices', '/devices', undefined);
    await get('/devices', '/devices', local, { limit: 'lots' });
    await get('/devices', '/devices', local, { clientId: 'globex' });
    await get('/devices', '/devices', 'a.b.c');
    await get('/devices/{deviceId}', '/devices/gx-1', local);
    await get('/devices/{deviceId}/history', '/devices/lap-1/history', local);
    await get('/devices/{deviceId}/history', '/devices/lap-1/history', globex);
    await get('/clients', '/clients', msp);
    await get('/clients', '/clients', undefined);
    await get('/clients/{clientId}', '/clients/local', local);
    await get('/clients/{clientId}', '/clients/globex', local);
    await get('/clients/{clientId}', '/clients/nobody', msp);

    // Sites come into being with their policy layer.
    const put = (
      op: string,
      path: string,
      body: unknown,
      headers?: Record<string, string>,
      token = msp,
    ) => call({ method: 'PUT', op, path, token, body, headers });
    const sitePolicy = '/clients/{clientId}/sites/{siteId}/policy';
    await get(sitePolicy, '/clients/local/sites/hq/policy', msp);
    await put(
      sitePolicy,
      '/clients/local/sites/hq/policy',
      { timeZone: 'Europe/Paris' },
      { 'if-match': '"r0"' },
    );
    await get(sitePolicy, '/clients/local/sites/hq/policy', local);
    await put(sitePolicy, '/clients/local/sites/hq/policy', {});
    await get('/clients/{clientId}/sites', '/clients/local/sites', local);
    await get('/clients/{clientId}/sites', '/clients/globex/sites', local);
    await get(
      '/clients/{clientId}/sites/{siteId}',
      '/clients/local/sites/hq',
      msp,
    );
    await get(
      '/clients/{clientId}/sites/{siteId}',
      '/clients/local/sites/none',
      msp,
    );

    for (const [op, path] of [
      ['/policies/msp', '/policies/msp'],
      ['/clients/{clientId}/policy', '/clients/local/policy'],
      ['/devices/{deviceId}/policy', '/devices/lap-1/policy'],
    ] as const) {
      await get(op, path, msp);
      await get(op, path, globex);
      await put(op, path, { disk: { minFreePercent: 15 } });
      await put(
        op,
        path,
        { disk: { minFreePercent: 15 } },
        { 'if-match': '"r9"' },
      );
      await put(
        op,
        path,
        { disk: { minFreePercent: 'lots' } },
        { 'if-match': '"r0"' },
      );
      await put(
        op,
        path,
        { patches: { mode: 'whitelist', whitelist: ['KB5034441'] } },
        { 'if-match': '"r0"' },
      );
      await put(
        op,
        path,
        { patches: { mode: 'all-security' } },
        { 'if-match': '"r1"' },
        local,
      );
    }
    await put(
      '/devices/{deviceId}/policy',
      '/devices/lap-1/policy',
      { timeZone: 'UTC' },
      { 'if-match': '"r1"' },
    );

    const findings = await get('/findings', '/findings', msp);
    await get('/findings', '/findings', local, { severity: 'dire' });
    const lapFinding = findings.body.findings.find(
      (f: { deviceId: string }) => f.deviceId === 'lap-1',
    );
    const gxFinding = findings.body.findings.find(
      (f: { deviceId: string }) => f.deviceId === 'gx-1',
    );
    const findingPath = (f: { findingId: string }, tail = '') =>
      `/findings/${f.findingId}${tail}`;
    await get('/findings/{findingId}', findingPath(lapFinding), local);
    await get('/findings/{findingId}', findingPath(gxFinding), local);
    await get('/findings/{findingId}', '/findings/garbage', msp);

    const post = (
      op: string,
      path: string,
      body: unknown,
      token = msp,
      headers?: Record<string, string>,
    ) => call({ method: 'POST', op, path, token, body, headers });
    const ack = '/findings/{findingId}/acknowledge';
    const key = { 'idempotency-key': 'ack-1' };
    const acknowledge = (note: string) =>
      post(ack, findingPath(lapFinding, '/acknowledge'), { note }, local, key);
    await acknowledge('on it');
    const replay = await acknowledge('on it');
    const reused = await acknowledge('other');
    await post(ack, findingPath(gxFinding, '/acknowledge'), {}, local);
    const suppress = '/findings/{findingId}/suppress';
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    await post(
      suppress,
      findingPath(gxFinding, '/suppress'),
      { reason: 'replacing the disk', expiresAt: tomorrow },
      globex,
    );
    await post(suppress, findingPath(lapFinding, '/suppress'), {
      reason: 'old',
      expiresAt: '2020-01-01T00:00:00Z',
    });
    await post(suppress, findingPath(lapFinding, '/suppress'), { reason: '' });

    const run = await post(
      '/runs',
      '/runs',
      {
        target: { deviceId: 'lap-1' },
        action: { kind: 'cycle', cycle: 'disk-space' },
      },
      local,
    );
    await post(
      '/runs',
      '/runs',
      {
        target: { deviceId: 'lap-1' },
        action: { kind: 'cycle', cycle: 'disk-space' },
      },
      globex,
    );
    await post('/runs', '/runs', {
      target: { clientId: 'local' },
      action: { kind: 'remedy', remedy: 'cleanup', params: { rm: '-rf' } },
    });
    await post('/runs', '/runs', {
      target: { clientId: 'local' },
      action: { kind: 'cycle', cycle: 'maintenance' },
    });
    await get('/runs/{runId}', `/runs/${run.body.run?.runId}`, local);
    await get('/runs/{runId}', `/runs/${run.body.run?.runId}`, globex);

    // Patch compliance and emergency approvals (docs/patches.md).
    const compliance = '/clients/{clientId}/patches/compliance';
    await get(compliance, '/clients/local/patches/compliance', local);
    await get(compliance, '/clients/globex/patches/compliance', local);
    const deviceCompliance = '/devices/{deviceId}/patches/compliance';
    await get(deviceCompliance, '/devices/lap-1/patches/compliance', local);
    await get(deviceCompliance, '/devices/gx-1/patches/compliance', local);
    const approvals = '/clients/{clientId}/patches/approvals';
    await post(approvals, '/clients/local/patches/approvals', {
      id: 'KB5034441',
      hours: 24,
      reason: 'exploited in the wild',
    });
    await post(approvals, '/clients/local/patches/approvals', { hours: 24 });
    await get(approvals, '/clients/local/patches/approvals', local);
    await get(approvals, '/clients/globex/patches/approvals', local);

    // Webhook subscriptions (docs/events.md).
    const hook = await post('/webhooks', '/webhooks', {
      url: 'http://127.0.0.1:9/hook',
      eventTypes: ['finding.opened'],
      clientId: 'local',
    });
    await post('/webhooks', '/webhooks', { url: 'ftp://x', eventTypes: [] });
    await get('/webhooks', '/webhooks', local);
    await get('/webhooks', '/webhooks', local, { clientId: 'globex' });
    const hookPath = `/webhooks/${hook.body.webhook.id}`;
    await get('/webhooks/{webhookId}', hookPath, msp);
    await get('/webhooks/{webhookId}', '/webhooks/none', msp);
    await get(
      '/webhooks/{webhookId}/deliveries',
      `${hookPath}/deliveries`,
      msp,
    );
    await get(
      '/webhooks/{webhookId}/deliveries',
      '/webhooks/none/deliveries',
      msp,
    );
    const rotate = '/webhooks/{webhookId}/rotate-secret';
    await call({
      method: 'POST',
      op: rotate,
      path: `${hookPath}/rotate-secret`,
      token: msp,
    });
    await call({
      method: 'POST',
      op: rotate,
      path: '/webhooks/none/rotate-secret',
      token: msp,
    });
    await call({
      method: 'DELETE',
      op: '/webhooks/{webhookId}',
      path: hookPath,
      token: msp,
    });
    await call({
      method: 'DELETE',
      op: '/webhooks/{webhookId}',
      path: hookPath,
      token: msp,
    });

    expect(problems).toEqual([]);
    expect(run.status).toBe(202);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(reused.status).toBe(422);
    const exercised = contract.operationsTagged(TAGS);
    expect(
      contract.document.tags.map((t: { name: string }) => t.name).sort(),
    ).toEqual([...TAGS].sort());
    expect(exercised.length).toBeGreaterThanOrEqual(32);
    const report = exercised.map((id) => {
      const statuses = [...(seen.get(id) ?? [])];
      return {
        id,
        success: statuses.some((s) => s < 300),
        error: id === 'getOpenApiDocument' || statuses.some((s) => s >= 400),
      };
    });
    expect(report.filter((r) => !r.success || !r.error)).toEqual([]);
  });
});
