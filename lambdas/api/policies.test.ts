import { describe, expect, it } from 'vitest';
import { envelope, hello } from '../test-support/messages.js';
import { apiKit } from './test-kit.js';

async function withDevice() {
  const t = await apiKit();
  await t.ingest('acme', [envelope('a-1', 'hello', hello('a-1'))]);
  return t;
}

describe('policy routes', () => {
  it('needs If-Match: 428 without, 412 when stale, 200 with the ETag', async () => {
    const t = await withDevice();
    const body = { disk: { minFreePercent: 15 } };

    const read = await t.call('GET', '/clients/acme/policy');
    const missing = await t.call('PUT', '/clients/acme/policy', { body });
    const stale = await t.call('PUT', '/clients/acme/policy', {
      body,
      headers: { 'if-match': '"r3"' },
    });
    const written = await t.call('PUT', '/clients/acme/policy', {
      body,
      headers: { 'if-match': read.headers.etag ?? '' },
    });
    const again = await t.call('PUT', '/clients/acme/policy', {
      body: { disk: { minFreePercent: 20 } },
      headers: { 'if-match': read.headers.etag ?? '' },
    });

    expect(read.headers.etag).toBe('"r0"');
    expect(read.json).toMatchObject({
      layer: {},
      revision: 0,
      updatedAt: null,
    });
    expect([missing.status, missing.json.error.code]).toEqual([
      428,
      'precondition-required',
    ]);
    expect([stale.status, stale.json.error.code]).toEqual([
      412,
      'precondition-failed',
    ]);
    expect(stale.headers.etag).toBe('"r0"');
    expect(written.status).toBe(200);
    expect(written.headers.etag).toBe('"r1"');
    expect(written.json.effective.disk.minFreePercent).toBe(15);
    expect(again.status).toBe(412);
  });

  it('shows the effective policy and where each value comes from', async () => {
    const t = await withDevice();
    const put = (path: string, body: unknown) =>
      t.call('PUT', path, { body, headers: { 'if-match': '"r0"' } });
    await put('/policies/msp', {
      disk: { minFreePercent: 12 },
      patches: { whitelist: ['KB5034441'] },
    });
    await put('/clients/acme/policy', {
      disk: { minFreePercent: 15 },
      maintenanceWindow: { start: '22:00', end: '05:00' },
    });
    await put('/devices/a-1/policy', { patches: { mode: 'whitelist' } });

    const device = await t.call('GET', '/devices/a-1/policy');
    const msp = await t.call('GET', '/policies/msp');

    expect(device.json.scope).toEqual({
      kind: 'device',
      deviceId: 'a-1',
      clientId: 'acme',
    });
    expect(device.json.layer).toEqual({ patches: { mode: 'whitelist' } });
    expect(device.json.effective).toMatchObject({
      disk: { minFreePercent: 15, floorBytes: 200 * 1024 * 1024 },
      patches: { mode: 'whitelist', whitelist: ['KB5034441'] },
      maintenanceWindow: { start: '22:00', end: '05:00' },
    });
    expect(device.json.sources).toMatchObject({
      'disk.minFreePercent': 'client',
      'disk.floorBytes': 'default',
      'patches.mode': 'device',
      'patches.whitelist': 'msp',
      'maintenanceWindow.start': 'client',
    });
    expect(msp.json.effective.disk.minFreePercent).toBe(12);
    expect(msp.json.sources['disk.minFreePercent']).toBe('msp');
  });

  it('removes an inherited optional value with null', async () => {
    const t = await withDevice();
    const put = (path: string, body: unknown) =>
      t.call('PUT', path, { body, headers: { 'if-match': '"r0"' } });
    await put('/clients/acme/policy', {
      maintenanceWindow: { start: '22:00', end: '05:00' },
    });

    const device = await put('/devices/a-1/policy', {
      maintenanceWindow: null,
    });

    expect(device.json.effective).not.toHaveProperty('maintenanceWindow');
    expect(Object.keys(device.json.sources)).not.toContain(
      'maintenanceWindow.start',
    );
  });

  it('answers 422 naming the field a layer gets wrong', async () => {
    const t = await withDevice();
    const put = (path: string, body: unknown) =>
      t.call('PUT', path, { body, headers: { 'if-match': '"r0"' } });

    const zone = await put('/clients/acme/policy', { timeZone: 'Mars/Base' });
    const deviceZone = await put('/devices/a-1/policy', { timeZone: 'UTC' });
    const unknown = await put('/clients/acme/policy', { colour: 'blue' });
    const wrongType = await put('/clients/acme/policy', {
      disk: { minFreePercent: 'ten' },
    });
    const stored = await t.call('GET', '/clients/acme/policy');

    expect(zone.status).toBe(422);
    expect(zone.json.error).toMatchObject({
      code: 'policy-invalid-value',
      path: 'timeZone',
    });
    expect(deviceZone.json.error).toMatchObject({
      code: 'policy-not-overridable-here',
      path: 'timeZone',
    });
    expect(unknown.status).toBe(400);
    expect(wrongType.json.error.issues).toEqual([
      expect.objectContaining({ path: 'disk.minFreePercent' }),
    ]);
    expect(stored.json.revision).toBe(0);
  });

  it('creates a site with its first layer and 404s an unknown one', async () => {
    const t = await withDevice();

    const before = await t.call('GET', '/clients/acme/sites/hq/policy');
    const created = await t.call('PUT', '/clients/acme/sites/hq/policy', {
      body: { timeZone: 'America/New_York' },
      headers: { 'if-match': '"r0"' },
    });
    const sites = await t.call('GET', '/clients/acme/sites');
    const noClient = await t.call('GET', '/clients/nobody/policy');

    expect([before.status, before.json.error.code]).toEqual([
      404,
      'site-not-found',
    ]);
    expect(created.json.scope).toEqual({
      kind: 'site',
      clientId: 'acme',
      siteId: 'hq',
    });
    expect(sites.json.sites).toEqual([
      expect.objectContaining({ siteId: 'hq', deviceCount: 0 }),
    ]);
    expect(noClient.json.error.code).toBe('client-not-found');
  });
});
