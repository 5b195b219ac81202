import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClamavCheck } from '../checks/antivirus/index.js';
import { diskSpaceCheck } from '../checks/disk-space/check.js';
import { createRig, type Rig, recordingRunner, THING } from './testing/rig.js';
import { cleanupJob } from './testing/sign.js';

let rig: Rig;

beforeEach(async () => {
  rig = await createRig();
});

afterEach(async () => {
  await rig.close();
});

const fastReplies = (rig: Rig) => ({
  publicKeys: { [rig.key.keyId]: rig.key.publicKeyRaw },
  responseTimeoutMs: 300,
  tuning: { updateRetryDelayMs: 20 },
});

const updatesOf = (jobId: string) =>
  rig.jobs.requests
    .filter((r) => r.operation === `${jobId}/update`)
    .map((r) => `${r.body.status} v${r.body.expectedVersion}`);

describe('version conflicts', () => {
  /**
   * Oracle: the first update landed but its reply was lost; sending it
   * again with the same expectedVersion gets VersionMismatch showing the
   * status already set, which the agent takes as done instead of
   * updating twice.
   */
  it('takes a lost reply whose update landed as done', async () => {
    rig.jobs.lose.push('update:IN_PROGRESS');
    const agent = await rig.startAgent({ jobs: fastReplies(rig) });
    rig.jobs.queue(THING, 'job-1', rig.sign(cleanupJob(THING, new Date())));
    await agent.connected();

    await rig.jobs.waitFor(
      () => rig.jobs.execution('job-1').status === 'SUCCEEDED',
    );

    expect(updatesOf('job-1')).toEqual([
      'IN_PROGRESS v2',
      'IN_PROGRESS v2',
      'IN_PROGRESS v3',
      'SUCCEEDED v4',
    ]);
    expect(rig.jobs.execution('job-1').updates.map((u) => u.status)).toEqual([
      'IN_PROGRESS',
      'IN_PROGRESS',
      'SUCCEEDED',
    ]);
  });

  it('does not report twice when the reply to the final update is lost', async () => {
    rig.jobs.lose.push('update:SUCCEEDED');
    const agent = await rig.startAgent({ jobs: fastReplies(rig) });
    rig.jobs.queue(THING, 'job-1', rig.sign(cleanupJob(THING, new Date())));
    await agent.connected();

    await rig.jobs.waitFor(() => updatesOf('job-1').length === 4);
    await rig.jobs.waitFor(
      () =>
        rig.jobs.requests.filter((r) => r.operation === 'start-next').length >=
        2,
    );

    expect(updatesOf('job-1')).toEqual([
      'IN_PROGRESS v2',
      'IN_PROGRESS v3',
      'SUCCEEDED v4',
      'SUCCEEDED v4',
    ]);
    expect(rig.jobs.execution('job-1').updates.at(-1)?.status).toBe(
      'SUCCEEDED',
    );
  });

  it('stops working on an execution canceled in the cloud, then takes the next', async () => {
    const databaseDir = path.join(rig.dir, 'clamav');
    await fs.mkdir(databaseDir);
    const runner = recordingRunner(() => ({ exitCode: 1 }));
    runner.hold();
    const agent = await rig.startAgent({
      checks: [createClamavCheck({ databaseDir }), diskSpaceCheck],
      run: runner.run,
    });
    const avJob = cleanupJob(THING, new Date(), {
      remedy: 'update-av-signatures',
      params: { product: 'clamav' },
      recheck: 'antivirus',
    });
    rig.jobs.queue(THING, 'canceled', rig.sign(avJob));
    rig.jobs.queue(
      THING,
      'next',
      rig.sign(cleanupJob(THING, new Date(), { remedy: 'rerun-check' })),
    );
    await agent.connected();
    await rig.jobs.waitFor(() => runner.calls.length === 1);

    rig.jobs.cancel('canceled');
    runner.release();
    await rig.jobs.waitFor(
      () => rig.jobs.execution('next').status === 'SUCCEEDED',
    );

    expect(rig.jobs.execution('canceled').status).toBe('CANCELED');
    expect(updatesOf('canceled')).toEqual(['IN_PROGRESS v2', 'IN_PROGRESS v3']);
    expect(
      rig.reports.filter((r) => r.trigger === 'job').map((r) => r.check),
    ).toEqual(['disk-space']);
  });
});
