import { DescribeJobCommand } from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import { PolicyLayerStore } from '../lib/policy-layers.js';
import { readClientCompliance } from './compliance-reader.js';
import { PatchStore } from './patch-store.js';
import { plannerKit, wuaUpdate } from './test-kit.js';

/**
 * The planner on dynalite and the IoT Jobs stand-in, with assessments
 * stored by the real ingest handler. Oracle: a job carries exactly the
 * updates the approval model lets through for its devices; the broad ring
 * gets nothing while the pilot runs, and nothing ever when the pilot's
 * failure rate reached the threshold.
 */
// Wednesday 2026-03-18 10:00 UTC.
const T0 = Date.parse('2026-03-18T10:00:00Z');
const DAY = 86_400_000;
const UPDATES = [
  wuaUpdate('5053602', { severity: 'Critical' }),
  wuaUpdate('5053888', { classification: 'Critical Updates', severity: '' }),
  wuaUpdate('890830', { classification: 'Updates', severity: '' }),
];

async function fleet(t: Awaited<ReturnType<typeof plannerKit>>, n: number) {
  const things = Array.from({ length: n }, (_, i) => `acme-lap-${i + 1}`);
  for (const thing of things) await t.windowsDevice('acme', thing, UPDATES);
  return things;
}

async function pilots(
  t: Awaited<ReturnType<typeof plannerKit>>,
  things: string[],
) {
  for (const thing of things) {
    await t.setPolicy(
      { kind: 'device', thingName: thing },
      { patches: { ring: 'pilot' } },
    );
  }
}

const sentOf = (t: Awaited<ReturnType<typeof plannerKit>>, jobId: string) => {
  const doc = t.document(jobId);
  return { updates: doc.params.updates, devices: doc.devices };
};

describe('patch planner', { timeout: 30_000 }, () => {
  it('sends approved security updates to the pilot ring first', async () => {
    const t = await plannerKit(T0);
    const things = await fleet(t, 3);
    await pilots(t, ['acme-lap-1']);

    const plan = await t.planner.planClient('acme');

    expect(plan).toMatchObject({ wave: '2026-03', state: 'pilot' });
    expect(plan.decision).toBe('pilot-running');
    expect(plan.created).toHaveLength(1);
    const jobId = plan.created[0]?.jobId ?? '';
    expect(sentOf(t, jobId)).toEqual({
      updates: ['KB5053602', 'KB5053888'],
      devices: ['acme-lap-1'],
    });
    const { job } = await t.iot.send(new DescribeJobCommand({ jobId }));
    expect(job?.jobExecutionsRolloutConfig?.maximumPerMinute).toBe(50);
    expect(job?.abortConfig?.criteriaList?.[0]).toMatchObject({
      failureType: 'FAILED',
      thresholdPercentage: 20,
    });
    expect(job?.targets).toEqual([
      'arn:aws:iot:us-east-1:000000000000:thing/acme-lap-1',
    ]);
    // A second run the same hour sends nothing twice.
    expect((await t.planner.planClient('acme')).created).toEqual([]);
    expect(things).toHaveLength(3);
  });

  it('promotes a healthy pilot after its days, halts a failing one', async () => {
    const t = await plannerKit(T0);
    await fleet(t, 5);
    await pilots(t, ['acme-lap-1', 'acme-lap-2']);
    const first = await t.planner.planClient('acme');
    const pilotJob = first.created[0]?.jobId ?? '';
    t.finish(pilotJob, 'acme-lap-1', 'SUCCEEDED');
    t.finish(pilotJob, 'acme-lap-2', 'SUCCEEDED');

    t.clock.now = T0 + 2 * DAY;
    const early = await t.planner.planClient('acme');
    t.clock.now = T0 + 3 * DAY;
    const promoted = await t.planner.planClient('acme');

    expect(early).toMatchObject({ state: 'pilot', created: [] });
    expect(promoted).toMatchObject({
      state: 'broad',
      decision: 'pilot-passed',
    });
    expect(sentOf(t, promoted.created[0]?.jobId ?? '').devices).toEqual([
      'acme-lap-3',
      'acme-lap-4',
      'acme-lap-5',
    ]);
  });

  it('stops ring promotion once the pilot failure rate passes the threshold', async () => {
    const t = await plannerKit(T0);
    await fleet(t, 5);
    await pilots(t, ['acme-lap-1', 'acme-lap-2', 'acme-lap-3']);
    const first = await t.planner.planClient('acme');
    const pilotJob = first.created[0]?.jobId ?? '';
    t.finish(pilotJob, 'acme-lap-1', 'SUCCEEDED');
    t.finish(pilotJob, 'acme-lap-2', 'SUCCEEDED');
    t.finish(pilotJob, 'acme-lap-3', 'FAILED');

    t.clock.now = T0 + 4 * DAY;
    const halted = await t.planner.planClient('acme');
    t.clock.now = T0 + 6 * DAY;
    const later = await t.planner.planClient('acme');

    // 1 of 3 ended executions failed: 33.3 % against 20 %.
    expect(halted).toMatchObject({
      state: 'halted',
      decision: 'failure-rate',
      failurePercent: 33.3,
      created: [],
    });
    expect(later).toMatchObject({ state: 'halted', created: [] });
    expect(t.jobs.service.executionsFor('acme-lap-4')).toEqual([]);
    const view = await readClientCompliance(
      new PatchStore(t.clients.doc, t.config.tableName),
      new PolicyLayerStore(t.clients.doc, t.config.tableName),
      'acme',
      t.clock.now,
    );
    expect(view.wave).toMatchObject({
      wave: '2026-03',
      state: 'halted',
      decision: 'failure-rate',
      failurePercent: 33.3,
    });
  });

  it('installs only listed KBs in whitelist mode', async () => {
    const t = await plannerKit(T0);
    await fleet(t, 1);
    await t.setPolicy(
      { kind: 'client', clientId: 'acme' },
      { patches: { mode: 'whitelist', whitelist: ['KB890830'] } },
    );

    const plan = await t.planner.planClient('acme');

    expect(sentOf(t, plan.created[0]?.jobId ?? '').updates).toEqual([
      'KB890830',
    ]);
  });

  it('never sends a blocked KB, even approved by category or emergency', async () => {
    const t = await plannerKit(T0);
    await fleet(t, 1);
    await t.setPolicy(
      { kind: 'client', clientId: 'acme' },
      { patches: { blocklist: ['KB5053602'] } },
    );
    await new PatchStore(t.clients.doc, t.config.tableName).putEmergency({
      clientId: 'acme',
      id: 'KB5053602',
      approvedAt: new Date(T0).toISOString(),
      expiresAt: new Date(T0 + DAY).toISOString(),
    });

    const plan = await t.planner.planClient('acme');

    expect(sentOf(t, plan.created[0]?.jobId ?? '').updates).toEqual([
      'KB5053888',
    ]);
  });

  it('holds a deferred KB until its days have passed', async () => {
    const t = await plannerKit(T0);
    await t.windowsDevice('acme', 'acme-lap-1', [
      wuaUpdate('5053602', { released: '2026-03-10T17:00:00.0000000Z' }),
      wuaUpdate('5054999', { released: '2026-03-17T17:00:00.0000000Z' }),
    ]);
    await t.setPolicy(
      { kind: 'client', clientId: 'acme' },
      { patches: { deferDays: 5 } },
    );

    const first = await t.planner.planClient('acme');
    t.clock.now = Date.parse('2026-03-22T18:00:00Z');
    const later = await t.planner.planClient('acme');

    expect(sentOf(t, first.created[0]?.jobId ?? '').updates).toEqual([
      'KB5053602',
    ]);
    expect(sentOf(t, later.created[0]?.jobId ?? '').updates).toEqual([
      'KB5054999',
    ]);
  });

  it('waits for the maintenance window in the device zone', async () => {
    const t = await plannerKit(T0);
    await fleet(t, 1);
    // 10:00 UTC is 11:00 in Paris: the 02:00-05:00 window is shut.
    await t.setPolicy(
      { kind: 'client', clientId: 'acme' },
      {
        timeZone: 'Europe/Paris',
        maintenanceWindow: { start: '02:00', end: '05:00' },
      },
    );

    const shut = await t.planner.planClient('acme');
    t.clock.now = Date.parse('2026-03-19T01:30:00Z');
    const open = await t.planner.planClient('acme');

    expect(shut.created).toEqual([]);
    const doc = t.document(open.created[0]?.jobId ?? '');
    expect(doc.params.windowEndsAt).toBe('2026-03-19T04:00:00.000Z');
  });
});
