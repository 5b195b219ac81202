import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import mqtt from 'mqtt';
import { onTestFinished } from 'vitest';
import { silentLogger } from '../agent/logger.js';
import { type LocalStackOptions, startLocalStack } from './stack.js';

/** A state folder that is removed when the test ends. */
export function tempStateDir() {
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-local-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The stack on free ports, its printed lines collected, stopped at the end. */
export async function startTestStack(
  stateDir: string,
  options: Partial<LocalStackOptions> = {},
) {
  const lines: string[] = [];
  const stack = await startLocalStack({
    stateDir,
    mqttPort: 0,
    mqttsPort: 0,
    apiPort: 0,
    sqsPort: 0,
    dynamoPort: 0,
    iotPort: 0,
    agent: false,
    print: (line) => lines.push(line),
    logger: silentLogger,
    agentLogger: silentLogger,
    handlerLogLevel: 'SILENT',
    ...options,
  });
  onTestFinished(() => stack.stop());
  apiTokens.set(stack.apiUrl, await stack.mintToken('msp'));
  return { stack, lines };
}

/** An MSP token of each test stack's issuer, by API URL, for getJson. */
const apiTokens = new Map<string, string>();

/** A raw MQTT 3.1.1 device, disconnected when the test ends. */
export async function connectDevice(mqttUrl: string, clientId: string) {
  const client = await mqtt.connectAsync(mqttUrl, {
    clientId,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  onTestFinished(() => client.endAsync(true));
  return client;
}

export function sqsClient(endpoint: string) {
  const client = new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  onTestFinished(() => client.destroy());
  return client;
}

/**
 * Long-polls a queue until `count` messages were seen, leaving them there
 * (visibility timeout 0) so that a later read sees them too.
 */
export async function peekMessages(
  sqs: SQSClient,
  queueUrl: string,
  count: number,
  timeoutMs = 15_000,
): Promise<Message[]> {
  const seen = new Map<string, Message>();
  const deadline = Date.now() + timeoutMs;

  while (seen.size < count && Date.now() < deadline) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        VisibilityTimeout: 0,
        WaitTimeSeconds: 1,
      }),
    );
    for (const m of Messages) seen.set(m.MessageId ?? '', m);
  }
  return [...seen.values()];
}

/** GETs a path of the API and returns status and parsed body. */
export async function getJson<T>(apiUrl: string, path: string) {
  const token = apiTokens.get(apiUrl);
  const response = await fetch(`${apiUrl}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** The parts of the API's bodies (docs/api.md) that the tests read. */
export interface ListedVolume {
  id: string;
  mount: string | null;
  totalBytes: number;
  freeBytes: number;
  availableBytes: number;
}

export interface DeviceList {
  devices: { deviceId: string; clientId: string; volumes: ListedVolume[] }[];
}

export interface DeviceDetail {
  device: { deviceId: string };
  checks: {
    check: string;
    reportId: string;
    verdict: string;
    data: Record<string, unknown>;
  }[];
}

/** Polls `read` until `accept` holds, failing after `timeoutMs`. */
export async function waitFor<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) {
      const last = JSON.stringify(value).slice(0, 2000);
      throw new Error(
        `condition not met within ${timeoutMs} ms; last: ${last}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
