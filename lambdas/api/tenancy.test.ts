import { describe, expect, it } from 'vitest';
import { diskReport, envelope, hello } from '../test-support/messages.js';
import { apiKit } from './test-kit.js';

/**
 * Oracle: a client token reaches its own client's data only. Another
 * client's resource named by client id is 403; one named by its own id
 * (device, finding, run) is 404, as if it did not exist; listings hold
 * only its own client's items. An MSP token sees every client.
 */
async function twoClients() {
  const t = await apiKit();
  const low = (thing: string) =>
    envelope(thing, 'reports', diskReport(thing, { cFreeBytes: 1024 ** 3 }));
  await t.ingest('acme', [envelope('a-1', 'hello', hello('a-1'))]);
  await t.ingest('acme', [low('a-1')]);
  await t.ingest('globex', [envelope('g-1', 'hello', hello('g-1'))]);
  await t.ingest('globex', [low('g-1')]);
  const r0 = { 'if-match': '"r0"' };
  for (const [client, site] of [
    ['acme', 'north'],
    ['globex', 'south'],
  ]) {
    const put = await t.call('PUT', `/clients/${client}/sites/${site}/policy`, {
      body: { timeZone: 'Europe/Berlin' },
      headers: r0,
    });
    expect(put.status).toBe(200);
  }
  await t.placeInSite('a-1', 'north');
  await t.placeInSite('g-1', 'south');

  const findings = await t.call('GET', '/findings');
  const findingOf = (device: string) =>
    findings.json.findings.find(
      (f: { deviceId: string }) => f.deviceId === device,
    ).findingId as string;
  const run = await t.call('POST', '/runs', {
    body: {
      target: { deviceId: 'g-1' },
      action: { kind: 'cycle', cycle: 'disk-space' },
    },
  });
  expect(run.status).toBe(202);
  return {
    t,
    acmeFinding: findingOf('a-1'),
    globexFinding: findingOf('g-1'),
    globexRun: run.json.run.runId as string,
  };
}

const ACME = 'client:acme';

describe('tenancy', () => {
  it("answers 403 or 404 for every route on another client's data", async () => {
    const { t, globexFinding, globexRun } = await twoClients();
    const later = new Date(Date.parse('2026-12-05T00:00:00Z')).toISOString();
    const cases: [string, string, number, unknown?][] = [
      ['GET', '/devices?clientId=globex', 403],
      ['GET', '/devices/g-1', 404],
      ['GET', '/devices/g-1/history', 404],
      ['GET', '/devices/g-1/policy', 404],
      ['GET', '/clients/globex', 403],
      ['GET', '/clients/globex/sites', 403],
      ['GET', '/clients/globex/sites/south', 403],
      ['GET', '/clients/globex/policy', 403],
      ['GET', '/clients/globex/sites/south/policy', 403],
      ['GET', '/policies/msp', 403],
      ['GET', '/findings?clientId=globex', 403],
      ['GET', `/findings/${globexFinding}`, 404],
      ['POST', `/findings/${globexFinding}/acknowledge`, 404, {}],
      [
        'POST',
        `/findings/${globexFinding}/suppress`,
        404,
        { reason: 'not mine', expiresAt: later },
      ],
      [
        'POST',
        '/runs',
        404,
        {
          target: { deviceId: 'g-1' },
          action: { kind: 'cycle', cycle: 'disk-space' },
        },
      ],
      [
        'POST',
        '/runs',
        403,
        {
          target: { clientId: 'globex' },
          action: { kind: 'cycle', cycle: 'disk-space' },
        },
      ],
      ['GET', `/runs/${globexRun}`, 404],
    ];

    const answers = [];
    for (const [method, target, , body] of cases) {
      const [path, query] = target.split('?');
      const res = await t.call(method, path ?? '', {
        as: ACME,
        body,
        query: query ? Object.fromEntries(new URLSearchParams(query)) : {},
      });
      answers.push([method, target, res.status]);
      // The answer echoes at most what was asked, never stored data.
      expect(JSON.stringify(res.json)).not.toMatch(
        /HOST-REDACTED|low-percent|Berlin|registeredAt|jobId/,
      );
    }

    expect(answers).toEqual(cases.map(([m, p, s]) => [m, p, s]));
    const untouched = await t.call('GET', `/findings/${globexFinding}`);
    expect(untouched.json.finding).toMatchObject({
      status: 'open',
      acknowledgement: null,
      suppression: null,
    });
  });

  it('refuses every policy write to a client token, its own included', async () => {
    const { t } = await twoClients();

    const writes = await Promise.all(
      [
        '/clients/acme/policy',
        '/clients/acme/sites/north/policy',
        '/devices/a-1/policy',
        '/clients/globex/policy',
        '/devices/g-1/policy',
        '/policies/msp',
      ].map((path) =>
        t.call('PUT', path, {
          as: ACME,
          body: { disk: { minFreePercent: 1 } },
          headers: { 'if-match': '"r0"' },
        }),
      ),
    );

    expect(writes.map((w) => [w.status, w.json.error.code])).toEqual(
      Array(6).fill([403, 'msp-scope-required']),
    );
  });

  it('lists only the own client for a client token, everything for MSP', async () => {
    const { t, acmeFinding } = await twoClients();
    const ids = (items: { deviceId?: string; clientId: string }[]) =>
      items.map((i) => i.deviceId ?? i.clientId).sort();

    const asAcme = {
      devices: await t.call('GET', '/devices', { as: ACME }),
      clients: await t.call('GET', '/clients', { as: ACME }),
      findings: await t.call('GET', '/findings', { as: ACME }),
      device: await t.call('GET', '/devices/a-1', { as: ACME }),
      finding: await t.call('GET', `/findings/${acmeFinding}`, { as: ACME }),
      site: await t.call('GET', '/clients/acme/sites/north', { as: ACME }),
    };
    const asMsp = {
      devices: await t.call('GET', '/devices'),
      clients: await t.call('GET', '/clients'),
      findings: await t.call('GET', '/findings'),
    };

    expect(ids(asAcme.devices.json.devices)).toEqual(['a-1']);
    expect(ids(asAcme.clients.json.clients)).toEqual(['acme']);
    expect(ids(asAcme.findings.json.findings)).toEqual(['a-1']);
    expect(asAcme.device.status).toBe(200);
    expect(asAcme.finding.status).toBe(200);
    expect(asAcme.site.json).toEqual({
      site: {
        siteId: 'north',
        clientId: 'acme',
        updatedAt: '2026-12-04T09:05:00.000Z',
        deviceCount: 1,
      },
      devices: ['a-1'],
    });
    expect(ids(asMsp.devices.json.devices)).toEqual(['a-1', 'g-1']);
    expect(ids(asMsp.clients.json.clients)).toEqual(['acme', 'globex']);
    expect(ids(asMsp.findings.json.findings)).toEqual(['a-1', 'g-1']);
  });

  it('keeps idempotency keys apart per caller', async () => {
    const { t, acmeFinding } = await twoClients();
    const key = { 'idempotency-key': 'same-key' };
    const path = `/findings/${acmeFinding}/acknowledge`;

    const acme = await t.call('POST', path, {
      as: ACME,
      body: { note: 'acme saw it' },
      headers: key,
    });
    const msp = await t.call('POST', path, {
      body: { note: 'msp saw it' },
      headers: key,
    });

    expect([acme.status, msp.status]).toEqual([200, 200]);
    expect(msp.headers['idempotent-replayed']).toBeUndefined();
    expect(msp.json.finding.acknowledgement.note).toBe('msp saw it');
  });
});
