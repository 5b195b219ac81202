import { CreateJobCommand } from '@aws-sdk/client-iot';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDir } from '../sqs/test-helpers.js';
import { jobsDevice, startJobsStandIn, thingArn } from './test-helpers.js';

const document = { v: 1, remedy: 'cleanup', params: {} };

async function withJob(
  options: { minuteMs?: number; retries?: number; stateDir?: string } = {},
) {
  const stand = await startJobsStandIn(options);
  const device = await jobsDevice(stand.broker, 'lap-1');
  await stand.iot.send(
    new CreateJobCommand({
      jobId: 'job-1',
      targets: [thingArn('lap-1')],
      document: JSON.stringify(document),
      timeoutConfig: { inProgressTimeoutInMinutes: 1 },
      jobExecutionsRetryConfig: {
        criteriaList: [
          { failureType: 'FAILED', numberOfRetries: options.retries ?? 0 },
        ],
      },
    }),
  );
  return { ...stand, device };
}

describe('Jobs device MQTT API stand-in', () => {
  it('notifies the next execution with its document', async () => {
    const { device } = await withJob();

    const notice = await device.waitFor((m) =>
      m.topic.endsWith('/notify-next'),
    );

    expect(notice.topic).toBe('$aws/things/lap-1/jobs/notify-next');
    expect(notice.body.execution).toMatchObject({
      jobId: 'job-1',
      thingName: 'lap-1',
      jobDocument: document,
      status: 'QUEUED',
      versionNumber: 1,
      executionNumber: 1,
    });
  });

  it('lists pending executions on jobs/get', async () => {
    const { device } = await withJob();

    const reply = await device.request('get');

    expect(reply.accepted).toBe(true);
    expect(reply.body).toMatchObject({
      inProgressJobs: [],
      queuedJobs: [{ jobId: 'job-1', versionNumber: 1, executionNumber: 1 }],
      clientToken: 't-1',
    });
    expect(typeof reply.body.timestamp).toBe('number');
  });

  it('starts the next execution and reflects the clientToken', async () => {
    const { device } = await withJob();

    const reply = await device.request('start-next', {
      statusDetails: { step: 'verifying' },
    });

    expect(reply.body).toMatchObject({
      clientToken: 't-1',
      execution: {
        jobId: 'job-1',
        status: 'IN_PROGRESS',
        statusDetails: { step: 'verifying' },
        versionNumber: 2,
        jobDocument: document,
      },
    });
  });

  it('describes $next without changing it', async () => {
    const { device } = await withJob();

    const reply = await device.request('$next/get', {
      includeJobDocument: false,
    });

    expect(reply.body.execution).toMatchObject({ status: 'QUEUED' });
    expect(reply.body.execution).not.toHaveProperty('jobDocument');
  });

  it('answers start-next without an execution when nothing is pending', async () => {
    const { device } = await withJob();
    await device.request('job-1/update', { status: 'REJECTED' });

    const reply = await device.request('start-next');

    expect(reply.accepted).toBe(true);
    expect(reply.body).not.toHaveProperty('execution');
  });

  it('rejects an update with a stale expectedVersion, with the state', async () => {
    const { device } = await withJob();
    await device.request('start-next');

    const reply = await device.request('job-1/update', {
      status: 'SUCCEEDED',
      expectedVersion: 1,
    });

    expect(reply.accepted).toBe(false);
    expect(reply.body).toMatchObject({
      code: 'VersionMismatch',
      clientToken: 't-2',
      executionState: { status: 'IN_PROGRESS', versionNumber: 2 },
    });
  });

  it('accepts a final update once and refuses the next as a transition', async () => {
    const { device } = await withJob();
    await device.request('start-next');

    const done = await device.request('job-1/update', {
      status: 'SUCCEEDED',
      expectedVersion: 2,
      statusDetails: { result: 'freed 1.2 GB' },
      includeJobExecutionState: true,
    });
    const again = await device.request('job-1/update', { status: 'FAILED' });

    expect(done.body.executionState).toEqual({
      status: 'SUCCEEDED',
      statusDetails: { result: 'freed 1.2 GB' },
      versionNumber: 3,
    });
    expect(again.body).toMatchObject({
      code: 'InvalidStateTransition',
      executionState: { status: 'SUCCEEDED' },
    });
  });

  it('refuses malformed requests with the documented codes', async () => {
    const { device } = await withJob();
    const topic = '$aws/things/lap-1/jobs/job-1/update';
    await device.client.publishAsync(topic, 'not json', { qos: 1 });

    const badJson = await device.waitFor(
      (m) => m.topic === `${topic}/rejected`,
    );
    const badStatus = await device.request('job-1/update', { status: 'DONE' });
    const badTopic = await device.request('job-1/frobnicate');
    const missing = await device.request('nope/update', { status: 'FAILED' });

    expect(badJson.body.code).toBe('InvalidJson');
    expect(badStatus.body.code).toBe('InvalidRequest');
    expect(badTopic.body.code).toBe('InvalidTopic');
    expect(missing.body.code).toBe('ResourceNotFound');
  });

  it('publishes the execution event when the device ends the execution', async () => {
    const { device, broker } = await withJob();
    const events: { topic: string; body: Record<string, unknown> }[] = [];
    await broker.subscribeInternal('$aws/events/jobExecution/#', (m) =>
      events.push({ topic: m.topic, body: JSON.parse(m.payload.toString()) }),
    );
    await device.request('start-next');

    await device.request('job-1/update', {
      status: 'FAILED',
      statusDetails: { reason: 'dism exited 87' },
    });
    await expect.poll(() => events.length).toBe(1);

    expect(events[0]).toMatchObject({
      topic: '$aws/events/jobExecution/job-1/failed',
      body: {
        eventType: 'JOB_EXECUTION',
        operation: 'failed',
        jobId: 'job-1',
        thingArn: thingArn('lap-1'),
        status: 'FAILED',
        statusDetails: { reason: 'dism exited 87' },
      },
    });
  });

  it('queues a retry execution when the retry config allows one', async () => {
    const { device, jobs } = await withJob({ retries: 1 });
    await device.request('start-next');
    await device.request('job-1/update', { status: 'FAILED' });

    const next = await device.request('start-next');
    await device.request('job-1/update', { status: 'FAILED' });

    expect(next.body.execution).toMatchObject({
      jobId: 'job-1',
      executionNumber: 2,
      status: 'IN_PROGRESS',
    });
    expect(jobs.service.pendingFor('lap-1')).toEqual([]);
    expect(jobs.service.job('job-1').status).toBe('COMPLETED');
  });

  it('times out an execution left IN_PROGRESS past its timeout', async () => {
    const { device, jobs } = await withJob({ minuteMs: 50 });
    await device.request('start-next');

    await expect
      .poll(() => jobs.service.execution('job-1', 'lap-1')?.status)
      .toBe('TIMED_OUT');
  });

  it('keeps jobs and executions across a restart on the same folder', async () => {
    const cleanups: (() => unknown)[] = [];
    onTestFinished(() => {
      for (const cleanup of cleanups) cleanup();
    });
    const stateDir = tempDir(cleanups, 'iot-jobs-');
    const first = await withJob({ stateDir });
    await first.device.request('start-next');
    await first.jobs.close();

    const second = await startJobsStandIn({ stateDir });
    const device = await jobsDevice(second.broker, 'lap-1');
    const reply = await device.request('$next/get');

    expect(reply.body.execution).toMatchObject({
      jobId: 'job-1',
      status: 'IN_PROGRESS',
      versionNumber: 2,
    });
  });
});
