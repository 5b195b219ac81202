import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClamavCheck } from '../checks/antivirus/index.js';
import { createPatchCheck } from '../checks/patches/index.js';
import { STATE_FILE } from '../state/state-store.js';
import { JOBS_SECTION } from './execution-store.js';
import { createRig, type Rig, recordingRunner, THING } from './testing/rig.js';
import { cleanupJob } from './testing/sign.js';

let rig: Rig;

beforeEach(async () => {
  rig = await createRig();
});

afterEach(async () => {
  await rig.close();
});

async function savedExecution() {
  const text = await fs.readFile(path.join(rig.stateDir, STATE_FILE), 'utf8');
  return JSON.parse(text).sections?.[JOBS_SECTION];
}

const steps = (jobId: string) =>
  rig.jobs
    .execution(jobId)
    .updates.map(
      (u) =>
        `${u.status}${u.statusDetails.step ? ` ${u.statusDetails.step}` : ''}`,
    );

describe('a restart in the middle of a job', () => {
  /**
   * Oracle: resetting the update components twice would rename the folders
   * Windows just rebuilt, so a reset cut short is reported, not repeated.
   */
  it('reports a remedy that is not safe to repeat as FAILED interrupted', async () => {
    const before = recordingRunner();
    before.hold();
    const windows = {
      platform: 'win32' as const,
      checks: [createPatchCheck()],
    };
    const first = await rig.startAgent({ ...windows, run: before.run });
    rig.jobs.queue(
      THING,
      'reset',
      rig.sign(
        cleanupJob(THING, new Date(), {
          remedy: 'reset-wu-components',
          recheck: 'patch-assessment',
          finding: undefined,
        }),
      ),
    );
    await first.connected();
    await rig.jobs.waitFor(() => before.calls.length === 1);
    expect(await savedExecution()).toMatchObject({
      jobId: 'reset',
      step: 'running',
    });

    await rig.crash(first);
    const after = recordingRunner();
    await rig.startAgent({ ...windows, run: after.run });
    await rig.jobs.waitFor(
      () => rig.jobs.execution('reset').status === 'FAILED',
    );

    expect(rig.jobs.execution('reset').statusDetails).toMatchObject({
      reason: 'interrupted',
      remedy: 'reset-wu-components',
      message:
        'the agent restarted during running; reset-wu-components is not safe to repeat',
    });
    expect(steps('reset')).toEqual(['IN_PROGRESS running', 'FAILED']);
    expect(after.calls).toEqual([]);
    await expect.poll(savedExecution).toBe(null);
  });

  it('runs a remedy that is safe to repeat again and finishes the job', async () => {
    const databaseDir = path.join(rig.dir, 'clamav');
    await fs.mkdir(databaseDir);
    const linux = { checks: [createClamavCheck({ databaseDir })] };
    const before = recordingRunner();
    before.hold();
    const first = await rig.startAgent({ ...linux, run: before.run });
    rig.jobs.queue(
      THING,
      'fresh',
      rig.sign(
        cleanupJob(THING, new Date(), {
          remedy: 'update-av-signatures',
          params: { product: 'clamav' },
          recheck: 'antivirus',
          finding: { code: 'av.definitions-stale', subject: 'ClamAV' },
        }),
      ),
    );
    await first.connected();
    await rig.jobs.waitFor(() => before.calls.length === 1);

    await rig.crash(first);
    const after = recordingRunner((command) =>
      command === 'freshclam' ? { exitCode: 1 } : {},
    );
    await rig.startAgent({ ...linux, run: after.run });
    await rig.jobs.waitFor(
      () => rig.jobs.execution('fresh').status === 'SUCCEEDED',
    );

    expect(after.calls.map((c) => [c.command, ...c.args])).toEqual([
      ['freshclam', '--stdout'],
    ]);
    expect(steps('fresh')).toEqual([
      'IN_PROGRESS running',
      'IN_PROGRESS running',
      'IN_PROGRESS rechecking',
      'SUCCEEDED',
    ]);
    const final = rig.jobs.execution('fresh').statusDetails;
    const report = rig.reports.find((r) => r.reportId === final.reportId);
    expect(report).toMatchObject({ check: 'antivirus', trigger: 'job' });
    expect(final.outcome).toBe('ClamAV databases current');
  });

  it('fails a remedy whose re-check still shows the finding', async () => {
    const databaseDir = path.join(rig.dir, 'clamav');
    await fs.mkdir(databaseDir);
    const runner = recordingRunner(() => ({ exitCode: 1 }));
    const agent = await rig.startAgent({
      checks: [createClamavCheck({ databaseDir })],
      run: runner.run,
    });
    rig.jobs.queue(
      THING,
      'still-missing',
      rig.sign(
        cleanupJob(THING, new Date(), {
          remedy: 'update-av-signatures',
          params: { product: 'clamav' },
          recheck: 'antivirus',
          finding: { code: 'av.product-missing', subject: 'ClamAV' },
        }),
      ),
    );
    await agent.connected();

    await rig.jobs.waitFor(
      () => rig.jobs.execution('still-missing').status === 'FAILED',
    );

    const final = rig.jobs.execution('still-missing').statusDetails;
    expect(final).toMatchObject({
      reason: 'finding-persists',
      findingPresent: 'true',
      verdict: 'critical',
    });
    expect(rig.reports.map((r) => r.reportId)).toContain(final.reportId);
  });

  it('drops a saved execution that ended while the agent was away', async () => {
    const before = recordingRunner();
    before.hold();
    const windows = {
      platform: 'win32' as const,
      checks: [createPatchCheck()],
    };
    const first = await rig.startAgent({ ...windows, run: before.run });
    rig.jobs.queue(
      THING,
      'gone',
      rig.sign(
        cleanupJob(THING, new Date(), {
          remedy: 'sfc-scannow',
          recheck: 'patch-assessment',
        }),
      ),
    );
    await first.connected();
    await rig.jobs.waitFor(() => before.calls.length === 1);
    await rig.crash(first);
    rig.jobs.cancel('gone');

    const after = recordingRunner();
    await rig.startAgent({ ...windows, run: after.run });
    await rig.jobs.waitFor(() =>
      rig.jobs.requests.some(
        (r) => r.operation === 'start-next' && r.body.clientToken,
      ),
    );
    await rig.jobs.waitFor(
      () =>
        rig.jobs.requests.filter((r) => r.operation === '$next/get').length ===
        1,
    );

    await expect.poll(savedExecution).toBe(null);
    expect(steps('gone')).toEqual(['IN_PROGRESS running']);
    expect(after.calls).toEqual([]);
  });

  it('sends the saved final status again, running nothing twice', async () => {
    rig.jobs.ignore.push('update:SUCCEEDED');
    const first = await rig.startAgent();
    rig.jobs.queue(THING, 'job-1', rig.sign(cleanupJob(THING, new Date())));
    await first.connected();
    await rig.jobs.waitFor(() =>
      rig.jobs.requests.some((r) => r.body.status === 'SUCCEEDED'),
    );
    const saved = await savedExecution();
    expect(saved).toMatchObject({
      step: 'reporting',
      final: { status: 'SUCCEEDED' },
    });

    await rig.crash(first);
    await rig.startAgent();
    await rig.jobs.waitFor(
      () => rig.jobs.execution('job-1').status === 'SUCCEEDED',
    );

    expect(steps('job-1')).toEqual([
      'IN_PROGRESS running',
      'IN_PROGRESS rechecking',
      'SUCCEEDED',
    ]);
    expect(rig.jobs.execution('job-1').statusDetails.reportId).toBe(
      saved.final.statusDetails.reportId,
    );
    expect(rig.reports.filter((r) => r.trigger === 'job')).toHaveLength(1);
  });
});
