import { describe, expect, it } from 'vitest';
import { diskReport, envelope, hello } from '../test-support/messages.js';
import { apiKit } from './test-kit.js';

describe('api handler', () => {
  it('returns a device with its latest checks and open findings', async () => {
    const t = await apiKit();
    const report = diskReport('lap-1', { cFreeBytes: 9 * 1024 ** 3 });
    await t.ingest('local', [envelope('lap-1', 'hello', hello('lap-1'))]);
    const stored = await t.ingest('local', [
      envelope('lap-1', 'reports', report),
    ]);

    const res = await t.call('GET', '/devices/lap-1');

    expect(stored).toEqual({ batchItemFailures: [] });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json.device).toMatchObject({
      deviceId: 'lap-1',
      clientId: 'local',
      agentVersion: '0.1.0',
      platform: 'win32',
      lastSeenAt: '2026-12-04T09:00:03.100Z',
      verdict: 'warning',
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
    const t = await apiKit();
    await t.ingest('local', [
      envelope('lap-1', 'hello', hello('lap-1')),
      envelope('lap-2', 'hello', hello('lap-2')),
    ]);
    await t.ingest('acme', [envelope('acme-7', 'hello', hello('acme-7'))]);

    const all = await t.call('GET', '/devices');
    const acme = await t.call('GET', '/devices', {
      query: { clientId: 'acme' },
    });

    expect(all.status).toBe(200);
    expect(
      all.json.devices.map((d: { deviceId: string }) => d.deviceId),
    ).toEqual(['acme-7', 'lap-1', 'lap-2']);
    expect(acme.json.devices).toEqual([
      expect.objectContaining({
        deviceId: 'acme-7',
        clientId: 'acme',
        hostname: 'HOST-REDACTED',
      }),
    ]);
  });

  it('pages devices with a cursor and filters by verdict', async () => {
    const t = await apiKit();
    const things = ['d-1', 'd-2', 'd-3', 'd-4', 'd-5'];
    await t.ingest(
      'acme',
      things.map((d) => envelope(d, 'hello', hello(d))),
    );
    await t.ingest('acme', [
      envelope('d-4', 'reports', diskReport('d-4', { cFreeBytes: 1024 ** 3 })),
    ]);

    const first = await t.call('GET', '/devices', { query: { limit: '2' } });
    const second = await t.call('GET', '/devices', {
      query: { limit: '2', cursor: first.json.nextCursor },
    });
    const third = await t.call('GET', '/devices', {
      query: { limit: '2', cursor: second.json.nextCursor },
    });
    const warning = await t.call('GET', '/devices', {
      query: { verdict: 'warning' },
    });
    const ids = (r: typeof first) =>
      r.json.devices.map((d: { deviceId: string }) => d.deviceId);

    expect(ids(first)).toEqual(['d-1', 'd-2']);
    expect(ids(second)).toEqual(['d-3', 'd-4']);
    expect(ids(third)).toEqual(['d-5']);
    expect(third.json.nextCursor).toBeNull();
    expect(ids(warning)).toEqual(['d-4']);
  });

  it('answers 404, 405 and 400 as JSON errors', async () => {
    const t = await apiKit();

    const unknownDevice = await t.call('GET', '/devices/lap-404');
    const unknownRoute = await t.call('GET', '/nothing/here');
    const badId = await t.call('GET', '/devices/bad%20id');
    const post = await t.call('POST', '/devices');
    const badQuery = await t.call('GET', '/devices', {
      query: { limit: 'many' },
    });
    const badCursor = await t.call('GET', '/devices', {
      query: { cursor: 'not-ours' },
    });

    expect(unknownDevice.status).toBe(404);
    expect(unknownDevice.json).toEqual({
      error: { code: 'device-not-found', message: 'no device "lap-404"' },
    });
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.json.error.code).toBe('route-not-found');
    expect(badId.status).toBe(400);
    expect(badId.json.error.code).toBe('invalid-device-id');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET');
    expect(post.json.error.code).toBe('method-not-allowed');
    expect(badQuery.status).toBe(400);
    expect(badQuery.json.error).toMatchObject({
      code: 'invalid-query',
      issues: [expect.objectContaining({ path: 'limit' })],
    });
    expect(badCursor.json.error.code).toBe('invalid-cursor');
  });

  it('refuses a request without a scope it knows', async () => {
    const t = await apiKit();

    const none = await t.call('GET', '/devices', { as: 'none' });
    const odd = await t.call('GET', '/devices', { as: 'admin' });
    const empty = await t.call('GET', '/devices', { as: 'client:' });
    const open = await t.call('GET', '/openapi.json', { as: 'none' });

    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe('unauthenticated');
    expect(odd.status).toBe(403);
    expect(odd.json.error.code).toBe('scope-invalid');
    expect(empty.status).toBe(403);
    expect(open.status).toBe(200);
    expect(open.json.openapi).toBe('3.1.0');
  });

  it('strips a named stage from the path', async () => {
    const t = await apiKit();
    await t.ingest('local', [envelope('lap-3', 'hello', hello('lap-3'))]);

    const res = await t.call('GET', '/prod/devices/lap-3');

    expect(res.status).toBe(404);
    const staged = await t.api(
      (await import('../test-support/http-event.js')).httpEvent(
        'GET',
        '/prod/devices/lap-3',
        { stage: 'prod', claims: { upkeep_scope: 'msp' } },
      ),
      (await import('../../local/sqs/sqs-event.js')).buildContext(
        'api',
        10_000,
        'us-east-1',
      ),
    );
    expect(JSON.parse(String((staged as { body: string }).body))).toMatchObject(
      { device: { deviceId: 'lap-3' } },
    );
  });

  it('answers 500 when the table cannot be read', async () => {
    const t = await apiKit();
    const { createApiHandler } = await import('./create-api-handler.js');
    const { httpEvent } = await import('../test-support/http-event.js');
    const { buildContext } = await import('../../local/sqs/sqs-event.js');
    const broken = createApiHandler({
      config: { ...t.config, tableName: 'no-such-table' },
      clients: { ...t.clients, iot: t.iot },
      logger: t.logger,
    });

    const res = (await broken(
      httpEvent('GET', '/devices/lap-1', { claims: { upkeep_scope: 'msp' } }),
      buildContext('api', 10_000, 'us-east-1'),
    )) as { statusCode: number; body: string };

    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body)).toEqual({
      error: { code: 'internal', message: 'internal error' },
    });
  });
  it('pages a device history newest first', async () => {
    const t = await apiKit();
    const reports = ['09:00', '10:00', '11:00'].map((hhmm) =>
      diskReport('h-1', { finishedAt: `2026-12-04T${hhmm}:00.000Z` }),
    );
    await t.ingest('acme', [envelope('h-1', 'hello', hello('h-1'))]);
    for (const r of reports) {
      await t.ingest('acme', [envelope('h-1', 'reports', r)]);
    }

    const first = await t.call('GET', '/devices/h-1/history', {
      query: { limit: '2' },
    });
    const second = await t.call('GET', '/devices/h-1/history', {
      query: { limit: '2', cursor: first.json.nextCursor },
    });
    const smart = await t.call('GET', '/devices/h-1/history', {
      query: { check: 'smart' },
    });
    const ids = (r: typeof first) =>
      r.json.reports.map((x: { reportId: string }) => x.reportId);

    expect(ids(first)).toEqual([reports[2]?.reportId, reports[1]?.reportId]);
    expect(ids(second)).toEqual([reports[0]?.reportId]);
    expect(first.json.reports[0]).toMatchObject({
      check: 'disk-space',
      trigger: 'schedule',
      verdict: 'ok',
      findings: [],
    });
    expect(smart.json.reports).toEqual([]);
  });

  it('lists clients with their device and site counts', async () => {
    const t = await apiKit();
    await t.ingest('acme', [
      envelope('c-1', 'hello', hello('c-1')),
      envelope('c-2', 'hello', hello('c-2')),
    ]);
    await t.call('PUT', '/clients/acme/sites/hq/policy', {
      body: {},
      headers: { 'if-match': '"r0"' },
    });
    await t.placeInSite('c-2', 'hq');

    const clients = await t.call('GET', '/clients');
    const acme = await t.call('GET', '/clients/acme');
    const inSite = await t.call('GET', '/devices', { query: { siteId: 'hq' } });

    expect(clients.json.clients).toEqual([
      expect.objectContaining({
        clientId: 'acme',
        deviceCount: 2,
        siteCount: 1,
      }),
    ]);
    expect(acme.json.sites).toEqual([
      expect.objectContaining({ siteId: 'hq', deviceCount: 1 }),
    ]);
    expect(
      inSite.json.devices.map((d: { deviceId: string }) => d.deviceId),
    ).toEqual(['c-2']);
  });
});
