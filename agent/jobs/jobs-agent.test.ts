import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createRig,
  exists,
  type Rig,
  recordingRunner,
  THING,
} from './testing/rig.js';
import { cleanupJob, testKey } from './testing/sign.js';

let rig: Rig;

beforeEach(async () => {
  rig = await createRig();
});

afterEach(async () => {
  await rig.close();
});

const now = () => new Date();

describe('remedy jobs over the Jobs MQTT API', () => {
  it('runs a signed cleanup job and ends SUCCEEDED with the re-check reportId', async () => {
    const runner = recordingRunner();
    const agent = await rig.startAgent({ run: runner.run });
    await agent.connected();

    rig.jobs.queue(THING, 'job-1', rig.sign(cleanupJob(THING, now())));
    await rig.jobs.waitFor(
      () => rig.jobs.execution('job-1').status === 'SUCCEEDED',
    );

    const execution = rig.jobs.execution('job-1');
    expect(
      execution.updates.map((u) => [u.status, u.statusDetails.step]),
    ).toEqual([
      ['IN_PROGRESS', 'running'],
      ['IN_PROGRESS', 'rechecking'],
      ['SUCCEEDED', undefined],
    ]);
    const final = execution.statusDetails;
    const report = rig.reports.find((r) => r.reportId === final.reportId);
    expect(report).toMatchObject({ check: 'disk-space', trigger: 'job' });
    expect(final).toMatchObject({
      remedy: 'cleanup',
      attempt: '1',
      outcome: 'deleted 1 files, 4096 bytes',
      deletedFiles: '1',
      check: 'disk-space',
      findingPresent: 'false',
    });
    expect(await exists(rig.oldFile)).toBe(false);
  });

  it('starts a job queued while idle on notify-next', async () => {
    const agent = await rig.startAgent();
    await agent.connected();
    await rig.jobs.waitFor(() =>
      rig.jobs.requests.some((r) => r.operation === 'start-next'),
    );

    rig.jobs.queue(
      THING,
      'job-later',
      rig.sign(cleanupJob(THING, now(), { remedy: 'rerun-check' })),
    );

    await rig.jobs.waitFor(
      () => rig.jobs.execution('job-later').status === 'SUCCEEDED',
    );
    expect(await exists(rig.oldFile)).toBe(true);
  });

  it('rejects every refused document with its reason and runs nothing', async () => {
    const runner = recordingRunner();
    const other = testKey('deploy-1');
    const base = () => cleanupJob(THING, now());
    const { signature: _, ...unsigned } = rig.sign(base()) as Record<
      string,
      unknown
    >;
    const cases: [string, unknown, string][] = [
      [
        'unknown',
        rig.sign({ ...base(), remedy: 'format-disk' }),
        'unknown-remedy',
      ],
      [
        'bad-params',
        rig.sign({ ...base(), params: { maxAgeDays: 'all' } }),
        'bad-params',
      ],
      ['unsigned', unsigned, 'signature-missing'],
      ['forged', rig.sign(base(), other), 'signature-invalid'],
      ['foreign', rig.sign(cleanupJob('laptop-0043', now())), 'wrong-device'],
      [
        'expired',
        rig.sign({
          ...base(),
          expiresAt: new Date(Date.now() - 1000).toISOString(),
        }),
        'expired',
      ],
    ];
    for (const [jobId, document] of cases)
      rig.jobs.queue(THING, jobId, document);

    const agent = await rig.startAgent({ run: runner.run });
    await agent.connected();
    await rig.jobs.waitFor(() =>
      cases.every(([id]) => rig.jobs.execution(id).status === 'REJECTED'),
    );

    const reasons = cases.map(
      ([id]) => rig.jobs.execution(id).statusDetails.reason,
    );
    expect(reasons).toEqual(cases.map(([, , reason]) => reason));
    for (const [id] of cases) {
      expect(rig.jobs.execution(id).updates).toHaveLength(1);
    }
    expect(rig.jobs.execution('forged').statusDetails.message).toBe(
      'the signature does not verify with key deploy-1',
    );
    expect(runner.calls).toEqual([]);
    expect(rig.reports.filter((r) => r.trigger === 'job')).toEqual([]);
    expect(await exists(rig.oldFile)).toBe(true);
  });

  it('takes one execution at a time: the next starts after the last ends', async () => {
    const agent = await rig.startAgent();
    rig.jobs.queue(THING, 'a', rig.sign(cleanupJob(THING, now())));
    rig.jobs.queue(
      THING,
      'b',
      rig.sign(cleanupJob(THING, now(), { remedy: 'rerun-check' })),
    );
    await agent.connected();

    await rig.jobs.waitFor(
      () => rig.jobs.execution('b').status === 'SUCCEEDED',
    );

    const flow = rig.jobs.requests.map(
      (r) => `${r.operation}:${r.body.status ?? ''}`,
    );
    const aDone = flow.indexOf('a/update:SUCCEEDED');
    const bFirst = flow.findIndex((f) => f.startsWith('b/'));
    expect(aDone).toBeGreaterThan(-1);
    expect(bFirst).toBeGreaterThan(aDone);
  });
});
