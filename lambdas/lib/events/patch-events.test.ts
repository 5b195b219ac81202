import { randomBytes } from 'node:crypto';
import { IoTClient } from '@aws-sdk/client-iot';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { parseUpkeepEvent, type UpkeepEvent } from '../../../core/events.js';
import type { Finding } from '../../../core/schemas/finding.js';
import { type Report, reportSchema } from '../../../core/schemas/report.js';
import { keys } from '../../../core/table.js';
import { ulid } from '../../../core/ulid.js';
import { Closers } from '../../../local/closers.js';
import { startIotControlPlane } from '../../../local/iot/index.js';
import { diskReport, hello } from '../../test-support/messages.js';
import { startEventsKit, TABLE } from '../../webhooks/test-kit.js';
import { createRemedyLoop } from '../create-remedy-loop.js';
import { FindingLifecycle } from '../finding-lifecycle.js';
import { type FindingItem, type MetaItem, metaItem } from '../items.js';
import type { EscalationSummary } from '../remedy-items.js';
import { ReportWriter } from '../report-writer.js';
import { remediationExhaustion } from './patch-events.js';

let closers = new Closers();
afterEach(async () => {
  await closers.closeAll();
  closers = new Closers();
});

const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const MINUTE = 60_000;
const THING = 'LAPTOP-7F3K2';

/** A failed install as the agent's patch assessment reports it. */
const notDownloaded: Finding = {
  code: 'wu.not-downloaded',
  severity: 'warning',
  subject: '2026-11 Cumulative Update for Windows 11 (KB5046617)',
  title: 'Update was not downloaded (0x80246007)',
  hresult: '0x80246007',
  detail: { date: '2026-11-30T02:00:00Z', resultCode: 4, kb: 'KB5046617' },
};

/**
 * The remedy loop and the finding events as the functions wire them, all
 * real parts on loopback: dynalite, the IoT control plane stand-in that
 * takes the jobs, and the local event bus, whose every Upkeep event a rule
 * of the test's own keeps. Reports go through the real writer, then the
 * loop and the reconciler (as ingest runs them); job events go to the loop,
 * whose lifecycle reconciles an escalation it stores (as job-events runs).
 */
async function setUp() {
  const kit = await startEventsKit(closers);
  const seen = kit.capture();
  // Port 0: the system picks a free port; the client reads it from endpoint.
  const jobs = await startIotControlPlane({ port: 0 });
  closers.add('iot jobs', () => jobs.close());
  const iot = new IoTClient({
    region: 'us-east-1',
    endpoint: jobs.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  closers.add('iot client', () => iot.destroy());

  let clock = T0;
  const now = () => clock;
  const events = kit.findingEvents(now);
  const loop = createRemedyLoop({
    config: {
      signingSecret: {
        kind: 'value',
        value: 'patch-events-test-seed-of-32-characters',
      },
      thingArnPrefix: 'arn:aws:iot:us-east-1:000000000000:thing/',
      jobIdPrefix: 'upkeep',
      documentTtlHours: 168,
    },
    tableName: TABLE,
    clients: { doc: kit.clients.doc, iot },
    logger: kit.logger,
    now,
    events,
  });
  const { v: _v, deviceId: _d, ...summary } = hello(THING);
  const meta: MetaItem = {
    ...metaItem(THING, 'acme', new Date(T0).toISOString()),
    hello: summary,
  };
  await kit.clients.doc.send(new PutCommand({ TableName: TABLE, Item: meta }));
  const writer = new ReportWriter(kit.clients.doc, TABLE);
  const lifecycle = new FindingLifecycle(kit.clients.doc, TABLE);

  /** One report a minute later, through writer, loop and reconciler. */
  const store = async (report: Report) => {
    const context = { thingName: THING, clientId: 'acme', receivedAtMs: T0 };
    const ttl = Math.floor(clock / 1000) + 86_400;
    const { findings } = await writer.write(report, context, ttl);
    const settled = await loop.afterReport(meta, report, findings);
    await events.reconcileHeld(settled);
    await kit.events.bus.drain();
  };
  const tick = () => {
    clock += MINUTE;
    return clock;
  };
  const finding = (code: string, subject: string) =>
    lifecycle.get({ pk: keys.device(THING), sk: keys.finding(code, subject) });

  return {
    seen: () => seen.map((e) => e.detail as UpkeepEvent),
    types: () => seen.map((e) => (e.detail as UpkeepEvent).type),
    finding,
    /** A patch assessment at the next minute with these findings. */
    patchReport: (findings: Finding[], jobId?: string) =>
      store(patchAssessment(tick(), findings, jobId)),
    /** A disk-space report at the next minute, C: low. */
    diskReport: (jobId?: string) =>
      store({
        ...diskReport(THING, {
          finishedAt: new Date(tick()).toISOString(),
          cFreeBytes: 5 * 1024 ** 3,
        }),
        ...(jobId ? { trigger: 'job' as const, cycleId: jobId } : {}),
      }),
    /** The job's SUCCEEDED event, as the job-events function gets it. */
    async succeeded(jobId: string) {
      const outcome = await loop.onJobEvent({
        eventType: 'JOB_EXECUTION',
        eventId: `e-${jobId}`,
        timestamp: Math.floor(tick() / 1000),
        operation: 'succeeded',
        jobId,
        thingArn: `arn:aws:iot:us-east-1:000000000000:thing/${THING}`,
        status: 'SUCCEEDED',
        statusDetails: {},
      });
      await kit.events.bus.drain();
      return outcome;
    },
    reconcile: async (item: FindingItem) => {
      const sent = await events.reconcileKey({ pk: item.pk, sk: item.sk });
      await kit.events.bus.drain();
      return sent;
    },
  };
}

function patchAssessment(atMs: number, findings: Finding[], jobId?: string) {
  return reportSchema.parse({
    v: 1,
    reportId: ulid(atMs, randomBytes),
    deviceId: THING,
    check: 'patch-assessment',
    trigger: jobId ? 'job' : 'schedule',
    ...(jobId ? { cycleId: jobId } : {}),
    startedAt: new Date(atMs - 900).toISOString(),
    finishedAt: new Date(atMs).toISOString(),
    verdict: 'warning',
    data: {},
    findings,
  });
}

type Kit = Awaited<ReturnType<typeof setUp>>;

/**
 * Runs `steps` jobs of a finding's chain: each succeeds and its re-check
 * (`recheck`) still shows the finding. The first jobs' re-checks come
 * last, so ingest moves the chain on; the last job's comes first, so the
 * chain's end is stored by the job-events side. Resolves the job ids.
 */
async function runChain(
  kit: Kit,
  finding: { code: string; subject: string },
  steps: number,
  recheck: (jobId: string) => Promise<unknown>,
) {
  const jobs: string[] = [];
  for (let step = 1; step <= steps; step++) {
    const item = await kit.finding(finding.code, finding.subject);
    const jobId = item?.remedy?.jobId;
    if (!jobId) throw new Error(`no job in flight at step ${step}`);
    jobs.push(jobId);
    if (step < steps) {
      await kit.succeeded(jobId);
      await recheck(jobId);
    } else {
      await recheck(jobId);
      await kit.succeeded(jobId);
    }
  }
  return jobs;
}

/** wu.not-downloaded reported, then its three jobs, none of them a fix. */
async function exhaustNotDownloaded(kit: Kit) {
  await kit.patchReport([notDownloaded]);
  return runChain(kit, notDownloaded, 3, (jobId) =>
    kit.patchReport([notDownloaded], jobId),
  );
}

describe('patch.remediation-exhausted', () => {
  it('is published once when a Windows Update chain ends', {
    timeout: 30_000,
  }, async () => {
    // Oracle: wu.not-downloaded's chain is retry-update, reset-wu-
    // components, retry-update (core/catalogue/windows-update.ts); the
    // default policy allows 4 jobs, so the decision after the third job is
    // chain-end.
    const kit = await setUp();

    const jobs = await exhaustNotDownloaded(kit);

    const item = await kit.finding(notDownloaded.code, notDownloaded.subject);
    expect(item?.status).toBe('escalated');
    expect(item?.escalation?.reason).toBe('chain-end');
    expect(kit.types()).toEqual([
      'finding.opened',
      'finding.escalated',
      'patch.remediation-exhausted',
    ]);
    const [opened, , exhausted] = kit.seen();
    expect(parseUpkeepEvent(exhausted)).toEqual(exhausted);
    expect(exhausted).toMatchObject({
      clientId: 'acme',
      device: { thingName: THING },
      ticketId: opened?.id,
      kb: 'KB5046617',
      occurredAt: item?.escalation?.escalatedAt,
      finding: {
        code: 'wu.not-downloaded',
        subject: notDownloaded.subject,
        hresult: '0x80246007',
        check: 'patch-assessment',
      },
    });
    expect(
      exhausted?.attempts.map((a) => [a.jobId, a.remedy, a.attempt, a.outcome]),
    ).toEqual([
      [jobs[0], 'retry-update', 1, 'still-present'],
      [jobs[1], 'reset-wu-components', 2, 'still-present'],
      [jobs[2], 'retry-update', 3, 'still-present'],
    ]);
  });

  it('publishes nothing new when the same ending is handled again', {
    timeout: 30_000,
  }, async () => {
    const kit = await setUp();
    const jobs = await exhaustNotDownloaded(kit);
    const before = kit.seen().map((e) => e.id);

    // The last job's event redelivered, the finding reconciled again, and
    // the next assessment still showing the failure.
    const replay = await kit.succeeded(jobs[2] as string);
    const item = await kit.finding(notDownloaded.code, notDownloaded.subject);
    const resent = await kit.reconcile(item as FindingItem);
    await kit.patchReport([notDownloaded]);

    expect(replay).toBe('stale');
    expect(resent).toEqual([]);
    expect(kit.seen().map((e) => e.id)).toEqual(before);
    expect(kit.types().filter((t) => t.startsWith('patch.'))).toHaveLength(1);
  });

  it('is published again when the failure comes back and runs out again', {
    timeout: 30_000,
  }, async () => {
    // Oracle: resolved and back within the flapping window is the same
    // ticket but a new occurrence (o2), whose chain runs again.
    const kit = await setUp();
    const first = await exhaustNotDownloaded(kit);
    await kit.patchReport([]);
    const second = await exhaustNotDownloaded(kit);

    expect(kit.types()).toEqual([
      'finding.opened',
      'finding.escalated',
      'patch.remediation-exhausted',
      'finding.resolved',
      'finding.escalated',
      'patch.remediation-exhausted',
    ]);
    const [one, two] = kit.seen().filter((e) => e.type.startsWith('patch.'));
    expect(two?.id).not.toBe(one?.id);
    expect(two?.ticketId).toBe(one?.ticketId);
    expect(one?.attempts.map((a) => a.jobId)).toEqual(first);
    expect(two?.attempts.map((a) => a.jobId)).toEqual(second);
    expect(second.every((jobId) => jobId.includes('-o2-'))).toBe(true);
  });

  it('is published when the chain reaches its ticket after a job', {
    timeout: 30_000,
  }, async () => {
    // wu.install-failure: retry-update, then repair-ticket (human-step).
    // The finding carries no detail: the KB comes from the update's title.
    const failure: Finding = {
      code: 'wu.install-failure',
      severity: 'warning',
      subject: '2026-11 Security Update for Windows 11 (KB5046633)',
      title: 'An update installer failed (0x80070643)',
      hresult: '0x80070643',
    };
    const kit = await setUp();
    await kit.patchReport([failure]);
    await runChain(kit, failure, 1, (id) => kit.patchReport([failure], id));

    const item = await kit.finding(failure.code, failure.subject);
    expect(item?.escalation?.reason).toBe('human-step');
    const exhausted = kit.seen().at(-1);
    expect(exhausted).toMatchObject({
      type: 'patch.remediation-exhausted',
      kb: 'KB5046633',
      finding: { code: 'wu.install-failure' },
    });
    expect(exhausted?.attempts.map((a) => a.remedy)).toEqual(['retry-update']);
  });

  it('is not published when a disk finding chain ends', {
    timeout: 30_000,
  }, async () => {
    // disk.low-percent's chain is one cleanup: after it, chain-end.
    const kit = await setUp();
    const disk = { code: 'disk.low-percent', subject: 'C:' };
    await kit.diskReport();
    await runChain(kit, disk, 1, (jobId) => kit.diskReport(jobId));

    const item = await kit.finding(disk.code, disk.subject);
    expect(item?.escalation?.reason).toBe('chain-end');
    expect(kit.types()).toEqual(['finding.opened', 'finding.escalated']);
  });
});

describe('remediationExhaustion', () => {
  const escalated = (over: Partial<FindingItem>): FindingItem => ({
    pk: keys.device(THING),
    sk: keys.finding('wu.not-downloaded', 'KB5046617'),
    thingName: THING,
    clientId: 'acme',
    check: 'patch-assessment',
    code: 'wu.not-downloaded',
    subject: 'KB5046617',
    severity: 'warning',
    title: 'Update was not downloaded (0x80246007)',
    status: 'escalated',
    firstSeenAt: new Date(T0).toISOString(),
    lastSeenAt: new Date(T0).toISOString(),
    occurrences: 1,
    lastReportId: 'r1',
    stateAtMs: T0,
    escalation: {
      reason: 'chain-end',
      occurrence: 2,
      escalatedAt: new Date(T0).toISOString(),
    },
    resolutions: 1,
    attempts: [
      {
        jobId: 'upkeep-a-o2-a1',
        occurrence: 2,
        attempt: 1,
        product: 'windows-update',
        step: 0,
        remedy: 'retry-update',
        params: {},
        issuedAt: new Date(T0).toISOString(),
        issuedAtMs: T0,
        outcome: 'failed',
        closedAt: new Date(T0).toISOString(),
      },
    ],
    ...over,
  });

  const why = (reason: EscalationSummary['reason'], occurrence = 2) =>
    escalated({
      escalation: {
        reason,
        occurrence,
        escalatedAt: new Date(T0).toISOString(),
      },
    });

  it('takes a chain that ran and the KB the subject names', () => {
    expect(remediationExhaustion(escalated({}))).toMatchObject({
      occurrence: 2,
      atMs: T0,
      kb: 'KB5046617',
    });
  });

  it('takes the policy limit and a ticket step as the chain running out', () => {
    const ends = [why('max-attempts'), why('human-step')].map(
      remediationExhaustion,
    );
    expect(ends.map((e) => e?.attempts.map((a) => a.jobId))).toEqual([
      ['upkeep-a-o2-a1'],
      ['upkeep-a-o2-a1'],
    ]);
  });

  it('leaves out refusals, alerts, other catalogues and untried chains', () => {
    const cases = [
      why('rejected'),
      why('policy-alert'),
      escalated({ code: 'smart.reallocated-sectors' }),
      escalated({ status: 'resolved' }),
      // A chain that starts with a ticket: no job of this occurrence ran.
      why('human-step', 3),
    ];
    expect(cases.map(remediationExhaustion)).toEqual(
      cases.map(() => undefined),
    );
  });
});
