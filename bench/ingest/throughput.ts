import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../agent/logger.js';
import { startLocalStack } from '../../local/stack.js';
import { loadAverage } from '../lib/machine.js';
import {
  type ProfileSummary,
  profiled,
  summariseProfile,
} from '../lib/profile.js';
import { LOCAL_PATH_COMPONENTS } from './components.js';
import {
  epochNow,
  type FromDevices,
  type ToDevices,
} from './device-protocol.js';
import { OutcomeCounter } from './outcome-counter.js';
import { buildFleetPayloads, type DevicePayloads } from './payloads.js';
import { RequestCounter } from './request-counter.js';
import { type StoreCheck, verifyStored } from './verify.js';

export interface ThroughputOptions {
  devices: number;
  reports: number;
  timeLimitSeconds: number;
  /**
   * Profile the back end's process during the timed phase and write the
   * V8 profile to this file.
   */
  profileFile?: string;
  /**
   * Called with the figures before the stack stops, so that a fault while
   * stopping cannot take the figures with it.
   */
  onMeasured?: (figures: ThroughputFigures) => void;
}

export interface ThroughputFigures {
  sent: number;
  /** Every report stored once, nothing rejected, queues empty. */
  complete: boolean;
  /** Why the run is not complete. */
  failures: string[];
  /** First publish to the moment ingest had stored the last report, ms. */
  elapsedMs: number;
  reportsPerSecond: number;
  /** First publish to the last PUBACK, ms. */
  publishMs: number;
  /** CPU per report of the back end's process (broker to dynalite), ms. */
  stackCpuMsPerReport: number;
  /**
   * The part of it on the main thread (broker, rules, queues, handlers);
   * the rest is dynalite's thread.
   */
  mainThreadCpuMsPerReport: number;
  /**
   * DynamoDB requests per report on the local path, by operation, counted
   * while timed (registration and hellos come before).
   */
  dynamoRequestsPerReport: Record<string, number>;
  /** CPU per report of the device process (20 mqtt.js clients), ms. */
  devicesCpuMsPerReport: number;
  check: StoreCheck;
  loadAverageAtStart: number[];
  profile?: ProfileSummary;
}

/**
 * The local path end to end: mqtt.js devices in a child process publish
 * QoS1 to the stack's broker; the topic rule sends each report to the SQS
 * stand-in; the event source mapping invokes the ingest handler, which
 * writes to dynalite. Timed from the first publish to the moment the stack
 * has printed a stored line for the last report; then the table is read
 * to prove that every report is there exactly once.
 */
export async function measureThroughput(
  options: ThroughputOptions,
): Promise<ThroughputFigures> {
  const fleet = buildFleetPayloads(options.devices, options.reports);
  const sent = fleet.reduce((n, d) => n + d.reports.length, 0);
  const stateDir = mkdtempSync(join(tmpdir(), 'upkeep-bench-'));
  const counter = new OutcomeCounter();
  const stack = await startLocalStack({
    stateDir,
    mqttPort: 0,
    mqttsPort: 0,
    apiPort: 0,
    sqsPort: 0,
    dynamoPort: 0,
    iotPort: 0,
    agent: false,
    print: (line) => counter.read(line),
    logger: silentLogger,
    handlerLogLevel: 'SILENT',
  });
  const devices = startDevices();

  try {
    await connectDevices(devices, stack.mqttUrl, fleet, counter);
    const loadAverageAtStart = loadAverage();
    const requests = new RequestCounter(stack.dynamoEndpoint);
    const run = () => timedPhase(devices, counter, sent, options);
    requests.start();
    const { result: timed, profile } = await (options.profileFile
      ? profiled(run, options.profileFile)
      : run().then((result) => ({ result, profile: undefined }))
    ).finally(() => requests.stop());
    const check = await verifyStored(stack, fleet);

    const figures: ThroughputFigures = {
      sent,
      ...judge(timed.failures, check, counter, sent),
      elapsedMs: timed.elapsedMs,
      // A run stopped by the time limit counts what was stored in time.
      reportsPerSecond: (timed.storedInTime / timed.elapsedMs) * 1000,
      publishMs: timed.publishMs,
      stackCpuMsPerReport: timed.stackCpuMs / timed.storedInTime,
      mainThreadCpuMsPerReport: timed.mainThreadCpuMs / timed.storedInTime,
      dynamoRequestsPerReport: requests.perReport(timed.storedInTime),
      devicesCpuMsPerReport: timed.devicesCpuMs / sent,
      check,
      loadAverageAtStart,
      ...(profile
        ? { profile: summariseProfile(profile, LOCAL_PATH_COMPONENTS) }
        : {}),
    };
    options.onMeasured?.(figures);
    return figures;
  } finally {
    await stopDevices(devices);
    await stack.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** From `go` to the last stored report, bounded by the time limit. */
async function timedPhase(
  devices: ChildProcess,
  counter: OutcomeCounter,
  sent: number,
  options: ThroughputOptions,
) {
  const failures: string[] = [];
  const limitMs = options.timeLimitSeconds * 1000;
  const cpu = process.cpuUsage();
  const mainCpu = process.threadCpuUsage();
  const published = nextMessage(devices, 'published', limitMs);
  tell(devices, { type: 'go' });

  const storedAt = await counter
    .reportsReached(sent, limitMs)
    .catch((error: Error) => {
      failures.push(error.message);
      return epochNow();
    });
  const used = process.cpuUsage(cpu);
  const mainUsed = process.threadCpuUsage(mainCpu);
  const storedInTime = Math.min(counter.reports, sent);
  const acked = await published.catch((error: Error) => {
    failures.push(error.message);
    return undefined;
  });

  const firstPublishAt = acked?.firstPublishAt ?? storedAt;
  return {
    failures,
    storedInTime,
    elapsedMs: storedAt - firstPublishAt,
    publishMs: acked ? acked.lastAckAt - acked.firstPublishAt : Number.NaN,
    stackCpuMs: (used.user + used.system) / 1000,
    mainThreadCpuMs: (mainUsed.user + mainUsed.system) / 1000,
    devicesCpuMs: acked?.cpuMs ?? Number.NaN,
  };
}

function judge(
  failures: string[],
  check: StoreCheck,
  counter: OutcomeCounter,
  sent: number,
) {
  const all = [...failures, ...check.problems];
  if (counter.rejected.length > 0) {
    all.push(
      `${counter.rejected.length} reports dead-lettered, first: ` +
        counter.rejected.slice(0, 3).join(' | '),
    );
  }
  if (check.storedReports !== sent) {
    all.push(`${check.storedReports} of ${sent} reports stored`);
  }
  return { complete: all.length === 0, failures: all };
}

function startDevices() {
  const entry = fileURLToPath(new URL('./devices.ts', import.meta.url));
  // execArgv carries the TypeScript loader the benchmark runs under.
  return fork(entry, [], {
    execArgv: process.execArgv,
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

async function connectDevices(
  devices: ChildProcess,
  mqttUrl: string,
  fleet: DevicePayloads[],
  counter: OutcomeCounter,
) {
  const connected = nextMessage(devices, 'connected', 60_000);
  tell(devices, { type: 'start', mqttUrl, devices: fleet });
  await connected;
  // Wait for every hello to be stored so that registration is not timed.
  await counter.hellosReached(fleet.length, 60_000);
}

async function stopDevices(devices: ChildProcess) {
  if (devices.exitCode !== null || !devices.connected) return;
  const exited = new Promise((resolve) => devices.once('exit', resolve));
  tell(devices, { type: 'stop' });
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
  if (devices.exitCode === null) devices.kill();
}

function tell(devices: ChildProcess, message: ToDevices) {
  devices.send(message);
}

type Reply<T extends FromDevices['type']> = Extract<FromDevices, { type: T }>;

/** The device process's next `type` message; rejects on failure or limit. */
function nextMessage<T extends FromDevices['type']>(
  devices: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Reply<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      devices.off('message', onMessage);
      reject(new Error(`devices: no ${type} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: FromDevices) => {
      if (message.type !== type && message.type !== 'failed') return;
      clearTimeout(timer);
      devices.off('message', onMessage);
      if (message.type === 'failed') {
        reject(new Error(`devices failed: ${message.message}`));
      } else {
        resolve(message as Reply<T>);
      }
    };
    devices.on('message', onMessage);
  });
}
