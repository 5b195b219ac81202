import { randomBytes, verify } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateJobCommand,
  DescribeJobExecutionCommand,
  IoTClient,
  ListJobExecutionsForThingCommand,
} from '@aws-sdk/client-iot';
import {
  GetQueueAttributesCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import { onTestFinished } from 'vitest';
import type { RemediationPolicy } from '../../core/policy.js';
import type { Finding } from '../../core/schemas/finding.js';
import {
  canonicalJobPayload,
  type JobDocument,
  type UnsignedJobDocument,
} from '../../core/schemas/job.js';
import { type Report, reportSchema } from '../../core/schemas/report.js';
import { keys } from '../../core/table.js';
import { deviceTopic } from '../../core/topics.js';
import { ulid } from '../../core/ulid.js';
import { hello } from '../../lambdas/test-support/messages.js';
import type { LocalStack } from '../stack.js';
import { waitFor } from '../test-support.js';
import { type JobsDevice, jobsDevice } from './test-helpers.js';

/**
 * Test kit of the remedy loop on the local stack: a raw MQTT device that
 * says hello, publishes reports and speaks the Jobs device API, and
 * readers of the table and of IoT, all aimed at the stack's loopback ports.
 */
export async function remedyKit(stack: LocalStack, thing: string) {
  const device = await jobsDevice({ url: stack.mqttUrl }, thing);
  const readers = stackReaders(stack, thing);

  return {
    ...readers,
    device,
    async hello() {
      await publish(device, deviceTopic(thing, 'hello'), {
        ...hello(thing),
        sentAt: new Date().toISOString(),
      });
      await readers.helloStored();
    },
    async report(
      check: Report['check'],
      findings: Finding[],
      options: { trigger?: Report['trigger']; cycleId?: string } = {},
    ) {
      const report = buildReport(thing, check, findings, options);
      await publish(device, deviceTopic(thing, 'reports'), report);
      await waitFor(
        () => readers.item(keys.device(thing), keys.report(report.reportId)),
        (item) => item !== undefined,
      );
      return report;
    },
    /** The same report again, as a redelivery would bring it. */
    async republish(report: Report) {
      await publish(device, deviceTopic(thing, 'reports'), report);
    },
  };
}

/**
 * Readers and writers of the stack's table, IoT and queues, for a test
 * whose device is the real agent (no second MQTT client with its id).
 */
export function stackReaders(stack: LocalStack, thing: string) {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const region = 'us-east-1';
  const dynamo = new DynamoDBClient({
    endpoint: stack.dynamoEndpoint,
    region,
    credentials,
  });
  const iot = new IoTClient({
    endpoint: stack.iotEndpoint,
    region,
    credentials,
  });
  const sqs = new SQSClient({
    endpoint: stack.sqsEndpoint,
    region,
    credentials,
  });
  onTestFinished(() => {
    dynamo.destroy();
    iot.destroy();
    sqs.destroy();
  });
  const doc = DynamoDBDocumentClient.from(dynamo);
  const item = async (pk: string, sk: string) =>
    (await doc.send(new GetCommand({ TableName: 'upkeep', Key: { pk, sk } })))
      .Item;

  return {
    iot,
    item,
    finding: (code: string, subject: string) =>
      item(keys.device(thing), keys.finding(code, subject)),
    helloStored: () =>
      waitFor(
        () => item(keys.device(thing), keys.meta()),
        (meta) => meta?.hello !== undefined,
      ),
    /** Sends a job execution event to the job-events queue once more. */
    async replayJobEvent(event: { jobId: string; status: string }) {
      const operation = event.status.toLowerCase();
      const payload = {
        eventType: 'JOB_EXECUTION',
        eventId: `replay-${event.jobId}`,
        timestamp: Math.floor(Date.now() / 1000),
        operation,
        jobId: event.jobId,
        thingArn: `arn:aws:iot:us-east-1:000000000000:thing/${thing}`,
        status: event.status,
        statusDetails: {},
      };
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl(stack, 'upkeep-job-events'),
          MessageBody: JSON.stringify({
            topic: `$aws/events/jobExecution/${event.jobId}/${operation}`,
            clientId: '',
            receivedAt: Date.now(),
            payload: Buffer.from(JSON.stringify(payload)).toString('base64'),
          }),
        }),
      );
    },
    /** Messages visible or in flight on a queue of the stack. */
    async queueDepth(name: string) {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl(stack, name),
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
          ],
        }),
      );
      return (
        Number(Attributes.ApproximateNumberOfMessages) +
        Number(Attributes.ApproximateNumberOfMessagesNotVisible)
      );
    },
    async setPolicy(remediation: Partial<RemediationPolicy>) {
      await doc.send(
        new PutCommand({
          TableName: 'upkeep',
          Item: {
            pk: keys.clients(),
            sk: keys.client('local'),
            clientId: 'local',
            createdAt: new Date().toISOString(),
            policy: { remediation },
          },
        }),
      );
    },
    async executions() {
      const out = await iot.send(
        new ListJobExecutionsForThingCommand({ thingName: thing }),
      );
      return out.executionSummaries ?? [];
    },
  };
}

function queueUrl(stack: LocalStack, name: string) {
  return stack.queueUrls.ingest.replace(/upkeep-ingest$/, name);
}

async function publish(device: JobsDevice, topic: string, body: unknown) {
  await device.client.publishAsync(topic, JSON.stringify(body), { qos: 1 });
}

export function buildReport(
  thing: string,
  check: Report['check'],
  findings: Finding[],
  options: { trigger?: Report['trigger']; cycleId?: string } = {},
): Report {
  const finishedAt = new Date();
  const base = {
    v: 1,
    reportId: ulid(finishedAt.getTime(), randomBytes),
    deviceId: thing,
    check,
    trigger: options.trigger ?? 'schedule',
    ...(options.cycleId ? { cycleId: options.cycleId } : {}),
    startedAt: new Date(finishedAt.getTime() - 500).toISOString(),
    finishedAt: finishedAt.toISOString(),
    verdict: findings.length > 0 ? findings[0]?.severity : 'ok',
    findings,
  };
  const data =
    check === 'disk-space'
      ? {
          volumes: [],
          policy: { floorBytes: 200 * 1024 ** 2, minFreePercent: 10 },
        }
      : {};
  return reportSchema.parse({ ...base, data });
}

/** True when the document's signature verifies with the stack's key. */
export function signatureHolds(document: JobDocument, publicKeyPem: string) {
  const { signature, ...unsigned } = document;
  return verify(
    null,
    Buffer.from(canonicalJobPayload(unsigned)),
    publicKeyPem,
    Buffer.from(signature.value, 'base64'),
  );
}

export const FINDINGS = {
  lowDisk: {
    code: 'disk.low-percent',
    severity: 'warning',
    subject: 'C:',
    title: 'C: has 4 % free',
  },
  staleAv: {
    code: 'av.definitions-stale',
    severity: 'warning',
    subject: 'antivirus',
    title: 'Definitions are 9 days old',
  },
  storeCorrupt: {
    code: 'wu.component-store-corrupt',
    severity: 'critical',
    subject: 'KB5034441',
    title: 'Component store is corrupt (0x80073712)',
    hresult: '0x80073712',
  },
} satisfies Record<string, Finding>;

/** An unsigned job document as the cloud would make it. */
export function jobDocument(
  deviceId: string,
  remedy: string,
): UnsignedJobDocument {
  const now = Date.now();
  return {
    v: 1,
    deviceId,
    remedy,
    params: {},
    attempt: 1,
    recheck: 'disk-space',
    issuedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 3600_000).toISOString(),
  };
}

export function createJob(
  iot: IoTClient,
  jobId: string,
  thing: string,
  doc: JobDocument,
) {
  return iot.send(
    new CreateJobCommand({
      jobId,
      targets: [`arn:aws:iot:us-east-1:000000000000:thing/${thing}`],
      document: JSON.stringify(doc),
      timeoutConfig: { inProgressTimeoutInMinutes: 10 },
    }),
  );
}

export async function executionOf(
  iot: IoTClient,
  jobId: string,
  thingName: string,
) {
  const { execution } = await iot.send(
    new DescribeJobExecutionCommand({ jobId, thingName }),
  );
  return execution;
}
