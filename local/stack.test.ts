import { describe, expect, it } from 'vitest';
import { createLogger } from '../agent/logger.js';
import { diskReport } from '../lambdas/test-support/messages.js';
import {
  connectDevice,
  type DeviceDetail,
  type DeviceList,
  getJson,
  peekMessages,
  sqsClient,
  startTestStack,
  tempStateDir,
  waitFor,
} from './test-support.js';

const reportsTopic = (thing: string) => `upkeep/v1/devices/${thing}/reports`;

async function deviceIds(apiUrl: string): Promise<string[]> {
  const { body } = await getJson<DeviceList>(apiUrl, '/devices');
  return body.devices.map((d) => d.deviceId);
}

describe('startLocalStack without an agent', () => {
  it('stores a device report and serves it through the HTTP API', async () => {
    const { stack, lines } = await startTestStack(tempStateDir());
    const device = await connectDevice(stack.mqttUrl, 'dev-a');
    const report = diskReport('dev-a');

    await device.publishAsync(reportsTopic('dev-a'), JSON.stringify(report), {
      qos: 1,
    });
    await waitFor(
      () => deviceIds(stack.apiUrl),
      (ids) => ids.includes('dev-a'),
    );

    const { status, body } = await getJson<DeviceDetail>(
      stack.apiUrl,
      '/devices/dev-a',
    );
    expect(status).toBe(200);
    expect(body.checks).toHaveLength(1);
    expect(body.checks[0]).toMatchObject({
      check: 'disk-space',
      reportId: report.reportId,
      data: report.data,
    });
    // The line follows the handler's answer, a moment after the writes.
    await expect
      .poll(() => lines)
      .toContain('report    dev-a  disk-space  ok  0 findings');
  });

  it('prints the ready banner with every URL', async () => {
    const { stack, lines } = await startTestStack(tempStateDir());

    expect(lines[0]?.split('\n')).toEqual([
      'Upkeep local stack ready',
      `  API        ${stack.apiUrl}`,
      `  dashboard  ${stack.apiUrl}/dashboard/`,
      `  MQTT       ${stack.mqttUrl}`,
      `  MQTT mTLS  ${stack.mqttsUrl}`,
      `  SQS        ${stack.sqsEndpoint}`,
      `  DynamoDB   ${stack.dynamoEndpoint}`,
      expect.stringMatching(/^ {2}state {6}\/.*upkeep-local-/),
      '  agent      off (--no-agent)',
    ]);
    expect(stack.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.mqttUrl).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.mqttsUrl).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses a publish by dev-a to the topic of dev-b', async () => {
    const logs: string[] = [];
    const logger = createLogger({ write: (line) => logs.push(line) });
    const { stack } = await startTestStack(tempStateDir(), { logger });
    const device = await connectDevice(stack.mqttUrl, 'dev-a');
    const closed = new Promise<void>((resolve) =>
      device.once('close', () => resolve()),
    );

    device.publish(reportsTopic('dev-b'), JSON.stringify(diskReport('dev-b')), {
      qos: 1,
    });
    await closed;

    const denials = logs
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.message === 'mqtt request denied');
    expect(denials).toEqual([
      expect.objectContaining({
        level: 'WARN',
        action: 'publish',
        clientId: 'dev-a',
        topic: reportsTopic('dev-b'),
        reason: 'foreign-topic',
      }),
    ]);
    const { status } = await getJson(stack.apiUrl, '/devices/dev-b');
    expect(status).toBe(404);
  });

  it('dead-letters a report naming another device, with why', async () => {
    const { stack, lines } = await startTestStack(tempStateDir());
    const device = await connectDevice(stack.mqttUrl, 'dev-a');
    const sqs = sqsClient(stack.sqsEndpoint);

    await device.publishAsync(
      reportsTopic('dev-a'),
      JSON.stringify(diskReport('dev-b')),
      { qos: 1 },
    );
    const [dead, ...more] = await peekMessages(
      sqs,
      stack.queueUrls.deadLetter,
      1,
    );

    expect(more).toEqual([]);
    expect(dead?.MessageAttributes?.reason?.StringValue).toBe('thing-mismatch');
    expect(JSON.parse(dead?.Body ?? '{}')).toMatchObject({
      topic: reportsTopic('dev-a'),
      clientId: 'dev-a',
    });
    await expect.poll(() => lines).toContain('rejected  dev-a  thing-mismatch');
    expect(await deviceIds(stack.apiUrl)).not.toContain('dev-b');
  });

  it('dead-letters malformed JSON and stores the next report', async () => {
    const { stack } = await startTestStack(tempStateDir());
    const device = await connectDevice(stack.mqttUrl, 'dev-a');
    const sqs = sqsClient(stack.sqsEndpoint);

    await device.publishAsync(reportsTopic('dev-a'), '{"v":1,', { qos: 1 });
    await device.publishAsync(
      reportsTopic('dev-a'),
      JSON.stringify(diskReport('dev-a')),
      { qos: 1 },
    );

    const [dead] = await peekMessages(sqs, stack.queueUrls.deadLetter, 1);
    expect(dead?.MessageAttributes?.reason?.StringValue).toBe('malformed-json');
    const { body } = await waitFor(
      () => getJson<DeviceDetail>(stack.apiUrl, '/devices/dev-a'),
      (r) => r.status === 200 && r.body.checks.length === 1,
    );
    expect(body.checks[0]?.check).toBe('disk-space');
  });

  it('keeps the devices across a restart on the same folder', async () => {
    const stateDir = tempStateDir();
    const first = await startTestStack(stateDir);
    const device = await connectDevice(first.stack.mqttUrl, 'dev-a');
    await device.publishAsync(
      reportsTopic('dev-a'),
      JSON.stringify(diskReport('dev-a')),
      { qos: 1 },
    );
    await waitFor(
      () => deviceIds(first.stack.apiUrl),
      (ids) => ids.includes('dev-a'),
    );
    await device.endAsync(true);

    await first.stack.stop();
    const second = await startTestStack(stateDir);

    expect(await deviceIds(second.stack.apiUrl)).toEqual(['dev-a']);
  });

  it('refuses to start a second stack on a state folder in use', async () => {
    const stateDir = tempStateDir();
    await startTestStack(stateDir);

    await expect(startTestStack(stateDir)).rejects.toMatchObject({
      code: 'state-in-use',
    });
  });

  it('names the folder in use before the ports the first stack holds', async () => {
    const stateDir = tempStateDir();
    const { stack } = await startTestStack(stateDir);
    const apiPort = Number(new URL(stack.apiUrl).port);

    await expect(startTestStack(stateDir, { apiPort })).rejects.toMatchObject({
      code: 'state-in-use',
    });
  });
});
