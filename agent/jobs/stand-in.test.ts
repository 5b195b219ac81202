import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateJobCommand,
  DescribeJobExecutionCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type Report, reportSchema } from '../../core/index.js';
import { startJobsStandIn, thingArn } from '../../local/iot/test-helpers.js';
import { startAgent } from '../agent.js';
import { createCleanupCheck } from '../checks/cleanup/index.js';
import { writeAged } from '../checks/cleanup/test-tree.js';
import { diskSpaceCheck } from '../checks/disk-space/check.js';
import { silentLogger } from '../logger.js';
import { cleanupJob, signJob, testKey } from './testing/sign.js';

/**
 * The same agent against the project's IoT Jobs stand-in (local/iot),
 * with jobs created through the real @aws-sdk/client-iot, as the cloud
 * side creates them: the two halves of the remedy loop agree on the wire.
 */
const THING = 'laptop-0042';

async function executionOf(iot: IoTClient, jobId: string) {
  const out = await iot.send(
    new DescribeJobExecutionCommand({ jobId, thingName: THING }),
  );
  return out.execution;
}

async function until<T>(read: () => Promise<T>, test: (v: T) => boolean) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (test(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`gave up: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the agent against the IoT Jobs stand-in', () => {
  it('runs a job made with CreateJob and rejects a forged one', async () => {
    const { broker, iot } = await startJobsStandIn();
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'upkeep-standin-'));
    onTestFinished(() => fs.rm(dir, { recursive: true, force: true }));
    const root = path.join(dir, 'temp');
    await writeAged(path.join(root, 'old.log'), 2048, 30);
    const reports: Report[] = [];
    const unsubscribe = await broker.subscribeInternal(
      'upkeep/v1/devices/+/reports',
      (m) => reports.push(reportSchema.parse(JSON.parse(m.payload.toString()))),
    );
    onTestFinished(unsubscribe);
    const key = testKey('deploy-1');
    const stateDir = path.join(dir, 'state');
    const agent = await startAgent({
      brokerUrl: broker.url,
      thingName: THING,
      stateDir,
      logger: silentLogger,
      schedule: false,
      checks: [
        createCleanupCheck({
          stateDir,
          roots: [{ category: 'temp-user', path: root }],
        }),
        diskSpaceCheck,
      ],
      jobs: { publicKeys: { [key.keyId]: key.publicKeyRaw } },
    });
    onTestFinished(() => agent.stop());
    await agent.connected();

    const create = (jobId: string, document: unknown) =>
      iot.send(
        new CreateJobCommand({
          jobId,
          targets: [thingArn(THING)],
          document: JSON.stringify(document),
          timeoutConfig: { inProgressTimeoutInMinutes: 60 },
        }),
      );
    await create('cleanup-1', signJob(cleanupJob(THING), key));
    await create('forged-1', signJob(cleanupJob(THING), testKey('deploy-1')));

    const done = await until(
      () => executionOf(iot, 'cleanup-1'),
      (e) => e?.status === 'SUCCEEDED',
    );
    const forged = await until(
      () => executionOf(iot, 'forged-1'),
      (e) => e?.status === 'REJECTED',
    );

    const details = done?.statusDetails?.detailsMap ?? {};
    expect(reports.find((r) => r.reportId === details.reportId)).toMatchObject({
      check: 'disk-space',
      trigger: 'job',
    });
    expect(details.outcome).toBe('deleted 1 files, 2048 bytes');
    expect(forged?.statusDetails?.detailsMap?.reason).toBe('signature-invalid');
  });
});
