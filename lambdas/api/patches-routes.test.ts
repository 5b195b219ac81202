import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { keys } from '../../core/table.js';
import { buildContext } from '../../local/sqs/sqs-event.js';
import { assessmentReport, wuaUpdate } from '../patches/test-kit.js';
import { httpEvent } from '../test-support/http-event.js';
import { envelope, hello } from '../test-support/messages.js';
import { apiKit, NOW } from './test-kit.js';

/**
 * Compliance through the api function on dynalite, with assessments stored
 * by the real ingest handler. Oracle: the numbers equal what a reader of
 * the stored items counts by the client's rules (security classification,
 * MSRC rating), the open failed-install findings and the stored restart
 * flag; another client's token sees none of it.
 */
type Kit = Awaited<ReturnType<typeof apiKit>>;
const SIGNED_0922 = 0x800f0922 - 2 ** 32;

async function device(t: Kit, thing: string, fields: Record<string, unknown>) {
  const report = assessmentReport(thing, NOW, fields);
  for (const body of [
    envelope(thing, 'hello', hello(thing)),
    envelope(thing, 'reports', report),
  ]) {
    const out = await t.ingest('acme', [body]);
    expect(out.batchItemFailures).toEqual([]);
  }
}

/** What a reader of the stored items counts, by the default rules. */
async function storedCounts(t: Kit, thing: string) {
  const check = await t.getItem(
    keys.device(thing),
    keys.check('patch-assessment'),
  );
  const updates = (check?.data.updates ?? []) as {
    sec: boolean;
    cls?: string;
    sev?: string;
  }[];
  const approved = updates.filter(
    (u) =>
      u.sec && ['Security Updates', 'Critical Updates'].includes(u.cls ?? ''),
  );
  const items = await t.deviceItems(thing);
  const failed = items.filter(
    (i) => String(i.sk).startsWith('FINDING#wu.') && i.status !== 'resolved',
  );
  return {
    critical: approved.filter((u) => u.sev === 'Critical').length,
    important: approved.filter((u) => u.sev === 'Important').length,
    unrated: approved.filter((u) => !u.sev).length,
    total: approved.length,
    failed: failed.length,
    pendingReboot: check?.data.rebootPending,
  };
}

async function setup() {
  const t = await apiKit();
  await device(t, 'acme-lap-1', {
    Updates: [
      wuaUpdate('5053602', { severity: 'Critical' }),
      wuaUpdate('5053888', {
        classification: 'Critical Updates',
        severity: '',
      }),
      wuaUpdate('5054001', { severity: 'Important' }),
      wuaUpdate('890830', { classification: 'Updates', severity: '' }),
    ],
    History: [
      {
        Title: '2026-03 Cumulative Update (KB5053602)',
        Date: '2026-12-03T02:14:07.0000000Z',
        Operation: 1,
        ResultCode: 4,
        HResult: SIGNED_0922,
      },
    ],
    RebootRequired: true,
  });
  await device(t, 'acme-lap-2', { Updates: [], RebootRequired: false });
  return t;
}

async function csv(t: Kit, path: string, as = 'msp') {
  const res = (await t.api(
    httpEvent('GET', path, {
      query: { format: 'csv' },
      claims: { sub: 'tester', upkeep_scope: as },
    }),
    buildContext('api', 10_000, 'us-east-1'),
  )) as APIGatewayProxyStructuredResultV2;
  return res;
}

describe('patch compliance API', () => {
  it('counts past a cut update list and marks the figure partial', async () => {
    const t = await apiKit();
    // 450 approved updates: the agent lists 400 and counts all of them.
    const updates = Array.from({ length: 450 }, (_, i) =>
      wuaUpdate(String(5_060_000 + i), { severity: 'Critical' }),
    );
    await device(t, 'acme-lap-9', { Updates: updates, RebootRequired: false });

    const res = await t.call('GET', '/clients/acme/patches/compliance', {
      as: 'client:acme',
    });
    const file = await csv(t, '/clients/acme/patches/compliance');

    expect(res.json.devices[0]).toMatchObject({
      thingName: 'acme-lap-9',
      missingApproved: { critical: 400, total: 450 },
      partial: true,
    });
    expect(res.json.summary).toMatchObject({
      partial: 1,
      missingApproved: { total: 450 },
    });
    expect(String(file.body).split('\r\n')[1]).toMatch(
      /^acme,acme-lap-9,400,0,0,0,0,450,true,/,
    );
  });

  it("matches each device's stored state, as JSON and CSV", async () => {
    const t = await setup();

    const res = await t.call('GET', '/clients/acme/patches/compliance', {
      as: 'client:acme',
    });

    expect(res.status).toBe(200);
    const lap1 = res.json.devices[0];
    const stored = await storedCounts(t, 'acme-lap-1');
    expect(lap1).toMatchObject({
      thingName: 'acme-lap-1',
      missingApproved: {
        critical: stored.critical,
        important: stored.important,
        unrated: stored.unrated,
        total: stored.total,
      },
      failed: stored.failed,
      pendingReboot: stored.pendingReboot,
      compliant: false,
    });
    expect(stored).toMatchObject({ total: 3, failed: 1, pendingReboot: true });
    expect(res.json.devices[1]).toMatchObject({
      thingName: 'acme-lap-2',
      missingApproved: { total: 0 },
      compliant: true,
    });
    // No planner ran for this client this month.
    expect(res.json.wave).toBeNull();
    expect(res.json.summary).toMatchObject({
      devices: 2,
      compliant: 1,
      failed: 1,
      pendingReboot: 1,
      missingApproved: { total: 3 },
    });

    const file = await csv(t, '/clients/acme/patches/compliance');
    expect(file.headers?.['content-type']).toBe('text/csv; charset=utf-8');
    const rows = String(file.body).trim().split('\r\n');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toBe(
      'acme,acme-lap-1,1,1,0,0,1,3,false,1,true,' +
        `${lap1.lastAssessmentAt},${lap1.lastGoodAssessmentAt},false`,
    );
  }, 30_000);

  it("keeps one client's compliance from another client's token", async () => {
    const t = await setup();

    const client = await t.call('GET', '/clients/acme/patches/compliance', {
      as: 'client:globex',
    });
    const device = await t.call(
      'GET',
      '/devices/acme-lap-1/patches/compliance',
      { as: 'client:globex' },
    );
    const own = await t.call('GET', '/devices/acme-lap-1/patches/compliance', {
      as: 'client:acme',
    });

    expect(client.status).toBe(403);
    expect(device.status).toBe(404);
    expect(own.json.missingApproved.total).toBe(3);
  }, 30_000);

  it('counts an emergency approval until it expires; only the MSP approves', async () => {
    const t = await setup();

    const refused = await t.call('POST', '/clients/acme/patches/approvals', {
      as: 'client:acme',
      body: { id: 'KB890830', hours: 24 },
    });
    const made = await t.call('POST', '/clients/acme/patches/approvals', {
      body: { id: 'kb890830', hours: 24, reason: 'vendor advisory' },
    });
    const device = await t.call(
      'GET',
      '/devices/acme-lap-1/patches/compliance',
    );
    const listed = await t.call('GET', '/clients/acme/patches/approvals', {
      as: 'client:acme',
    });

    expect(refused.status).toBe(403);
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({
      id: 'KB890830',
      expiresAt: new Date(NOW + 24 * 3_600_000).toISOString(),
      approvedBy: 'msp/tester',
    });
    expect(device.json.missingApproved).toMatchObject({ unrated: 2, total: 4 });
    expect(listed.json.approvals.map((a: { id: string }) => a.id)).toEqual([
      'KB890830',
    ]);
  }, 30_000);
});
