import { describe, expect, it } from 'vitest';
import type { JobDocument } from '../../core/schemas/job.js';
import { startTestStack, tempStateDir, waitFor } from '../test-support.js';
import { FINDINGS, remedyKit, signatureHolds } from './remedy-test-kit.js';

/**
 * The cloud half of the remedy loop on the whole local stack, with a raw
 * MQTT device playing the agent's part of the Jobs API. Oracle: a finding
 * is resolved only after the job ended and a re-check report without it
 * was stored; every job document verifies with the stack's public key.
 */
async function setUp(thing: string) {
  const { stack } = await startTestStack(tempStateDir());
  const kit = await remedyKit(stack, thing);
  await kit.hello();
  return { stack, kit };
}

type Kit = Awaited<ReturnType<typeof setUp>>['kit'];

/** Takes the next job as the agent does and returns its document. */
async function takeJob(kit: Kit) {
  const reply = await waitFor(
    () => kit.device.request('start-next'),
    (r) => r.accepted && r.body.execution !== undefined,
  );
  const execution = reply.body.execution as {
    jobId: string;
    versionNumber: number;
    jobDocument: JobDocument;
  };
  return execution;
}

describe('remedy loop on the local stack', () => {
  it('resolves low disk after the cleanup job and a clean re-check', async () => {
    const { stack, kit } = await setUp('lap-1');
    await kit.report('disk-space', [FINDINGS.lowDisk]);

    const job = await takeJob(kit);
    await kit.report('disk-space', [], { trigger: 'job', cycleId: job.jobId });
    await kit.device.request(`${job.jobId}/update`, {
      status: 'SUCCEEDED',
      expectedVersion: job.versionNumber,
    });
    const finding = await waitFor(
      () => kit.finding('disk.low-percent', 'C:'),
      (f) => f?.status === 'resolved' && f.remedy === undefined,
    );

    expect(job.jobDocument).toMatchObject({
      deviceId: 'lap-1',
      remedy: 'cleanup',
      params: { volume: 'C:' },
      attempt: 1,
      recheck: 'disk-space',
      finding: { code: 'disk.low-percent', subject: 'C:' },
    });
    expect(signatureHolds(job.jobDocument, stack.jobSigning.publicKeyPem)).toBe(
      true,
    );
    expect(finding?.attempts).toEqual([
      expect.objectContaining({
        jobId: job.jobId,
        remedy: 'cleanup',
        jobStatus: 'SUCCEEDED',
        outcome: 'resolved',
      }),
    ]);
  });

  it('waits for the re-check when the job succeeds first', async () => {
    const { kit } = await setUp('lap-2');
    await kit.report('disk-space', [FINDINGS.lowDisk]);
    const job = await takeJob(kit);

    await kit.device.request(`${job.jobId}/update`, { status: 'SUCCEEDED' });
    const waiting = await waitFor(
      () => kit.finding('disk.low-percent', 'C:'),
      (f) => f?.remedy?.jobStatus === 'SUCCEEDED',
    );
    await kit.report('disk-space', [], { trigger: 'job' });
    const settled = await waitFor(
      () => kit.finding('disk.low-percent', 'C:'),
      (f) => f?.remedy === undefined,
    );

    expect(waiting?.status).toBe('remediating');
    expect(settled).toMatchObject({
      status: 'resolved',
      attempts: [expect.objectContaining({ outcome: 'resolved' })],
    });
  });

  it('sends the Defender update for stale Defender definitions', async () => {
    const { kit } = await setUp('lap-3');

    await kit.report('antivirus', [FINDINGS.staleAv]);
    const job = await takeJob(kit);

    expect(job.jobDocument).toMatchObject({
      remedy: 'update-av-signatures',
      params: { product: 'defender' },
    });
  });

  it("sends Sophos's update when the client's policy selects Sophos", async () => {
    const { kit } = await setUp('lap-4');
    await kit.setPolicy({ products: { antivirus: 'sophos', patches: 'auto' } });

    await kit.report('antivirus', [FINDINGS.staleAv]);
    const job = await takeJob(kit);

    expect(job.jobDocument).toMatchObject({
      remedy: 'update-av-signatures',
      params: { product: 'sophos' },
    });
  });

  it('walks the DISM chain of 0x80073712 and escalates with the history', async () => {
    const { kit } = await setUp('lap-5');
    await kit.report('patch-assessment', [FINDINGS.storeCorrupt]);

    const remedies: string[] = [];
    for (let step = 0; step < 4; step++) {
      const job = await takeJob(kit);
      remedies.push(job.jobDocument.remedy);
      await kit.report('patch-assessment', [FINDINGS.storeCorrupt], {
        trigger: 'job',
      });
      await kit.device.request(`${job.jobId}/update`, {
        status: 'FAILED',
        statusDetails: { reason: 'finding-persists' },
      });
    }
    const finding = await waitFor(
      () => kit.finding('wu.component-store-corrupt', 'KB5034441'),
      (f) => f?.status === 'escalated',
    );
    const escalation = await kit.item(
      'DEVICE#lap-5',
      'ESCALATION#wu.component-store-corrupt#KB5034441#1',
    );

    expect(remedies).toEqual([
      'dism-restore-health',
      'sfc-scannow',
      'retry-update',
      'dism-restore-health',
    ]);
    expect(finding?.escalation).toMatchObject({
      reason: 'human-step',
      humanStep: { remedy: 'repair-install-ticket' },
    });
    expect(escalation?.attempts).toHaveLength(4);
    expect(escalation).toMatchObject({
      reason: 'human-step',
      gsi1pk: 'CLIENT#local',
    });
    expect(await kit.executions()).toHaveLength(4);
  });

  it('escalates a job the device rejected and sends nothing more', async () => {
    const { kit } = await setUp('lap-6');
    await kit.report('disk-space', [FINDINGS.lowDisk]);
    const job = await takeJob(kit);

    await kit.device.request(`${job.jobId}/update`, {
      status: 'REJECTED',
      statusDetails: { reason: 'signature-invalid' },
    });
    const finding = await waitFor(
      () => kit.finding('disk.low-percent', 'C:'),
      (f) => f?.status === 'escalated',
    );

    expect(finding?.escalation).toMatchObject({ reason: 'rejected' });
    expect(finding?.attempts).toEqual([
      expect.objectContaining({
        outcome: 'rejected',
        statusDetails: { reason: 'signature-invalid' },
      }),
    ]);
    expect(await kit.executions()).toHaveLength(1);
  });

  it('skips a step the device cannot run and sends the next one', async () => {
    const { kit } = await setUp('lap-10');
    await kit.report('patch-assessment', [FINDINGS.storeCorrupt]);
    const first = await takeJob(kit);

    await kit.device.request(`${first.jobId}/update`, {
      status: 'REJECTED',
      statusDetails: { reason: 'not-implemented' },
    });
    const second = await takeJob(kit);

    expect(first.jobDocument.remedy).toBe('dism-restore-health');
    expect(second.jobDocument).toMatchObject({
      remedy: 'sfc-scannow',
      attempt: 2,
    });
  });

  it('makes no second job for a repeated report', async () => {
    const { kit } = await setUp('lap-7');

    await kit.report('disk-space', [FINDINGS.lowDisk]);
    await takeJob(kit);
    await kit.report('disk-space', [FINDINGS.lowDisk]);
    const finding = await kit.finding('disk.low-percent', 'C:');

    expect(await kit.executions()).toHaveLength(1);
    expect(finding).toMatchObject({ status: 'remediating', occurrences: 2 });
  });

  it('changes nothing for the same report twice or the same job event twice', async () => {
    const { kit } = await setUp('lap-9');
    const report = await kit.report('patch-assessment', [
      FINDINGS.storeCorrupt,
    ]);
    await kit.republish(report);
    const job = await takeJob(kit);
    await kit.device.request(`${job.jobId}/update`, { status: 'FAILED' });
    const second = await takeJob(kit);
    const before = await kit.finding('wu.component-store-corrupt', 'KB5034441');

    await kit.replayJobEvent({ jobId: job.jobId, status: 'FAILED' });
    await waitFor(
      () => kit.queueDepth('upkeep-job-events'),
      (depth) => depth === 0,
    );
    const after = await kit.finding('wu.component-store-corrupt', 'KB5034441');

    expect(second.jobDocument.remedy).toBe('sfc-scannow');
    expect(after).toEqual(before);
    expect(await kit.executions()).toHaveLength(2);
  });

  it('alerts instead of sending a job in alert mode', async () => {
    const { kit } = await setUp('lap-8');
    await kit.setPolicy({ mode: 'alert' });

    await kit.report('disk-space', [FINDINGS.lowDisk]);
    const finding = await waitFor(
      () => kit.finding('disk.low-percent', 'C:'),
      (f) => f?.status === 'escalated',
    );

    expect(finding?.escalation).toMatchObject({ reason: 'policy-alert' });
    expect(await kit.executions()).toEqual([]);
  });
});
