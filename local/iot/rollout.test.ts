import { CreateJobCommand, DescribeJobCommand } from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import { ABORT_REASON } from './rollout.js';
import { jobsDevice, startJobsStandIn, thingArn } from './test-helpers.js';

/**
 * The stand-in honours a job's rollout rate and abort config, made with
 * the real @aws-sdk/client-iot and run by real MQTT devices. Oracle: a
 * device hears of a job only once the rate releases it; the job is
 * canceled when the failed share of ended executions reaches the
 * threshold, and queued executions are canceled with it.
 */
const document = JSON.stringify({ v: 1, remedy: 'install-updates' });

async function fail(device: Awaited<ReturnType<typeof jobsDevice>>) {
  const started = await device.request('start-next', {});
  const execution = started.body.execution as { jobId: string } | undefined;
  if (!execution) throw new Error('nothing released to this device');
  await device.request(`${execution.jobId}/update`, { status: 'FAILED' });
}

describe('IoT Jobs stand-in: rollout and abort', () => {
  it('releases targets at the rate per minute', async () => {
    const { broker, iot } = await startJobsStandIn({ minuteMs: 400 });
    const things = ['roll-1', 'roll-2', 'roll-3'];
    const devices = await Promise.all(things.map((t) => jobsDevice(broker, t)));

    await iot.send(
      new CreateJobCommand({
        jobId: 'patch-rate',
        targets: things.map(thingArn),
        document,
        jobExecutionsRolloutConfig: { maximumPerMinute: 2 },
      }),
    );
    const first = await devices[2]?.request('start-next', {});

    // The third target waits for the second minute, then is told.
    expect(first?.body.execution).toBeUndefined();
    const notified = await devices[2]?.waitFor(
      (m) => m.topic.endsWith('/notify-next') && m.body.execution !== undefined,
      3000,
    );
    expect(notified?.body.execution).toMatchObject({ jobId: 'patch-rate' });
    const later = await devices[2]?.request('start-next', {});
    expect(later?.body.execution).toMatchObject({ status: 'IN_PROGRESS' });
  });

  it('cancels the job once the failure percentage is reached', async () => {
    const { broker, iot } = await startJobsStandIn();
    const things = ['abort-1', 'abort-2', 'abort-3', 'abort-4'];
    const devices = await Promise.all(things.map((t) => jobsDevice(broker, t)));
    await iot.send(
      new CreateJobCommand({
        jobId: 'patch-abort',
        targets: things.map(thingArn),
        document,
        abortConfig: {
          criteriaList: [
            {
              failureType: 'FAILED',
              action: 'CANCEL',
              thresholdPercentage: 50,
              minNumberOfExecutedThings: 2,
            },
          ],
        },
      }),
    );

    await fail(devices[0] as never);
    const afterOne = await iot.send(
      new DescribeJobCommand({ jobId: 'patch-abort' }),
    );
    await fail(devices[1] as never);
    const { job } = await iot.send(
      new DescribeJobCommand({ jobId: 'patch-abort' }),
    );

    // One failure of one ended execution is below the minimum of two.
    expect(afterOne.job?.status).toBe('IN_PROGRESS');
    expect(job?.status).toBe('CANCELED');
    expect(job?.reasonCode).toBe(ABORT_REASON);
    expect(job?.jobProcessDetails).toMatchObject({
      numberOfFailedThings: 2,
      numberOfCanceledThings: 2,
    });
    const left = await devices[3]?.request('start-next', {});
    expect(left?.body.execution).toBeUndefined();
  });

  it('refuses an abort threshold outside 0..100', async () => {
    const { iot } = await startJobsStandIn();

    const create = iot.send(
      new CreateJobCommand({
        jobId: 'patch-bad',
        targets: [thingArn('x')],
        document,
        abortConfig: {
          criteriaList: [
            {
              failureType: 'FAILED',
              action: 'CANCEL',
              thresholdPercentage: 120,
              minNumberOfExecutedThings: 1,
            },
          ],
        },
      }),
    );

    await expect(create).rejects.toThrow(/thresholdPercentage must be 0..100/);
  });
});
