import {
  CancelJobCommand,
  CreateJobCommand,
  DescribeJobCommand,
  DescribeJobExecutionCommand,
  ListJobExecutionsForThingCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
} from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import { startJobsStandIn, thingArn } from './test-helpers.js';

const createJob = (jobId: string, thing = 'lap-1') =>
  new CreateJobCommand({
    jobId,
    targets: [thingArn(thing)],
    document: JSON.stringify({ remedy: 'cleanup' }),
    description: 'cleanup for disk.low-percent on C:',
    timeoutConfig: { inProgressTimeoutInMinutes: 30 },
    jobExecutionsRetryConfig: {
      criteriaList: [{ failureType: 'FAILED', numberOfRetries: 1 }],
    },
  });

describe('IoT control plane stand-in', () => {
  it('creates a job the real SDK can describe', async () => {
    const { iot } = await startJobsStandIn();

    const created = await iot.send(createJob('upkeep-a-o1-a1'));
    const { job } = await iot.send(
      new DescribeJobCommand({ jobId: 'upkeep-a-o1-a1' }),
    );

    expect(created.jobArn).toBe(
      'arn:aws:iot:us-east-1:000000000000:job/upkeep-a-o1-a1',
    );
    expect(job).toMatchObject({
      jobId: 'upkeep-a-o1-a1',
      status: 'IN_PROGRESS',
      targets: [thingArn('lap-1')],
      timeoutConfig: { inProgressTimeoutInMinutes: 30 },
      jobExecutionsRetryConfig: {
        criteriaList: [{ failureType: 'FAILED', numberOfRetries: 1 }],
      },
      jobProcessDetails: { numberOfQueuedThings: 1 },
    });
    expect(job?.createdAt).toBeInstanceOf(Date);
  });

  it('refuses a second job with the same id as the SDK exception', async () => {
    const { iot } = await startJobsStandIn();
    await iot.send(createJob('upkeep-b-o1-a1'));

    const second = iot.send(createJob('upkeep-b-o1-a1'));

    await expect(second).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
    await expect(second).rejects.toMatchObject({
      resourceId: 'upkeep-b-o1-a1',
    });
  });

  it('describes and lists the execution on the thing', async () => {
    const { iot } = await startJobsStandIn();
    await iot.send(createJob('upkeep-c-o1-a1'));

    const { execution } = await iot.send(
      new DescribeJobExecutionCommand({
        jobId: 'upkeep-c-o1-a1',
        thingName: 'lap-1',
      }),
    );
    const listed = await iot.send(
      new ListJobExecutionsForThingCommand({ thingName: 'lap-1' }),
    );

    expect(execution).toMatchObject({
      status: 'QUEUED',
      executionNumber: 1,
      versionNumber: 1,
      thingArn: thingArn('lap-1'),
    });
    expect(listed.executionSummaries).toEqual([
      expect.objectContaining({
        jobId: 'upkeep-c-o1-a1',
        jobExecutionSummary: expect.objectContaining({ status: 'QUEUED' }),
      }),
    ]);
  });

  it('answers an unknown execution with ResourceNotFoundException', async () => {
    const { iot } = await startJobsStandIn();

    const missing = iot.send(
      new DescribeJobExecutionCommand({ jobId: 'nope', thingName: 'lap-1' }),
    );

    await expect(missing).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('cancels the queued execution of a canceled job', async () => {
    const { iot } = await startJobsStandIn();
    await iot.send(createJob('upkeep-d-o1-a1'));

    await iot.send(
      new CancelJobCommand({ jobId: 'upkeep-d-o1-a1', comment: 'by hand' }),
    );
    const { execution } = await iot.send(
      new DescribeJobExecutionCommand({
        jobId: 'upkeep-d-o1-a1',
        thingName: 'lap-1',
      }),
    );

    expect(execution?.status).toBe('CANCELED');
  });
});
