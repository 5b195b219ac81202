import type { InternalMessage } from '../broker/broker.js';
import { type DeviceErrorCode, JobsDeviceError } from './errors.js';
import type { JobsService, UpdateInput } from './jobs-service.js';
import { EXECUTION_STATUSES, type ExecutionRecord, seconds } from './model.js';
import { executionData, executionState, executionSummary } from './wire.js';

/** What the device API needs of the broker. */
export interface JobsBroker {
  subscribeInternal(
    filter: string,
    handler: (message: InternalMessage) => void,
  ): Promise<() => Promise<void>>;
  publish(topic: string, payload: string): Promise<void>;
}

const REQUESTS = '$aws/things/+/jobs/#';
const TOPIC = /^\$aws\/things\/([^/]+)\/jobs\/(.+)$/;
/** Our own replies and notifications arrive on the same filter. */
const OUTPUT = /(^|\/)(accepted|rejected)$|^notify(-next)?$/;
const DETAIL_KEY = /^[a-zA-Z0-9:_-]{1,128}$/;
const MAX_DETAIL_CHARS = 1024;

/**
 * The Jobs device MQTT API (https://docs.aws.amazon.com/iot/latest/
 * developerguide/jobs-mqtt-api.html): GetPendingJobExecutions on
 * `jobs/get`, StartNextPendingJobExecution on `jobs/start-next`,
 * DescribeJobExecution on `jobs/<jobId|$next>/get`, UpdateJobExecution on
 * `jobs/<jobId>/update`; each answers on the request topic plus
 * `/accepted` or `/rejected` with the request's clientToken. The broker's
 * device policy has already confined each client to its own thing.
 */
export async function startDeviceApi(
  service: JobsService,
  broker: JobsBroker,
  onError: (error: unknown) => void,
) {
  const send = (topic: string, body: Record<string, unknown>) =>
    broker.publish(topic, JSON.stringify(body)).catch(onError);

  const unsubscribe = await broker.subscribeInternal(REQUESTS, (message) => {
    const match = TOPIC.exec(message.topic);
    if (!match || OUTPUT.test(match[2] as string)) return;
    handle(service, send, match[1] as string, match[2] as string, message);
  });
  const notifications = notifyWith(service, send);
  return async () => {
    notifications();
    await unsubscribe();
  };
}

type Send = (topic: string, body: Record<string, unknown>) => void;

function handle(
  service: JobsService,
  send: Send,
  thingName: string,
  rest: string,
  message: InternalMessage,
) {
  let clientToken: string | undefined;
  try {
    const request = parseRequest(message.payload);
    clientToken =
      typeof request.clientToken === 'string' ? request.clientToken : undefined;
    const body = answer(service, thingName, rest, request);
    send(`${message.topic}/accepted`, {
      ...body,
      timestamp: seconds(Date.now()),
      ...(clientToken === undefined ? {} : { clientToken }),
    });
  } catch (error) {
    const failure =
      error instanceof JobsDeviceError
        ? error
        : new JobsDeviceError('InternalError', String(error));
    send(`${message.topic}/rejected`, errorResponse(failure, clientToken));
  }
}

function answer(
  service: JobsService,
  thingName: string,
  rest: string,
  request: Record<string, unknown>,
): Record<string, unknown> {
  if (rest === 'get') return pendingList(service, thingName);
  if (rest === 'start-next') return startNext(service, thingName, request);

  const parts = rest.split('/');
  const [jobId, verb] = parts;
  if (parts.length === 2 && jobId && verb === 'get') {
    return describe(service, thingName, jobId, request);
  }
  if (parts.length === 2 && jobId && jobId !== '$next' && verb === 'update') {
    return update(service, thingName, jobId, request);
  }
  throw new JobsDeviceError('InvalidTopic', `no Jobs API on jobs/${rest}`);
}

function pendingList(service: JobsService, thingName: string) {
  const pending = service.pendingFor(thingName);
  return {
    inProgressJobs: pending
      .filter((e) => e.status === 'IN_PROGRESS')
      .map(executionSummary),
    queuedJobs: pending
      .filter((e) => e.status === 'QUEUED')
      .map(executionSummary),
  };
}

function startNext(
  service: JobsService,
  thingName: string,
  request: Record<string, unknown>,
) {
  const execution = service.startNext(thingName, {
    statusDetails: details(request.statusDetails),
    stepTimeoutInMinutes: minutes(request.stepTimeoutInMinutes),
  });
  return execution ? { execution: data(service, execution) } : {};
}

function describe(
  service: JobsService,
  thingName: string,
  jobId: string,
  request: Record<string, unknown>,
) {
  const includeDocument = request.includeJobDocument !== false;
  if (jobId === '$next') {
    const next = service.pendingFor(thingName)[0];
    return next ? { execution: data(service, next, includeDocument) } : {};
  }

  const number = integer(request.executionNumber, 'executionNumber');
  const execution = service.execution(jobId, thingName, number);
  if (!execution) {
    throw new JobsDeviceError(
      'ResourceNotFound',
      `No job execution ${jobId} for ${thingName}`,
    );
  }
  if (!['QUEUED', 'IN_PROGRESS'].includes(execution.status)) {
    throw new JobsDeviceError(
      'TerminalStateReached',
      `job execution ${jobId} is ${execution.status}`,
    );
  }
  return { execution: data(service, execution, includeDocument) };
}

function update(
  service: JobsService,
  thingName: string,
  jobId: string,
  request: Record<string, unknown>,
) {
  const execution = service.update(thingName, jobId, updateInput(request));
  return {
    ...(request.includeJobExecutionState === true
      ? { executionState: executionState(execution) }
      : {}),
    ...(request.includeJobDocument === true
      ? { jobDocument: data(service, execution).jobDocument }
      : {}),
  };
}

function updateInput(request: Record<string, unknown>): UpdateInput {
  const status = request.status;
  if (
    typeof status !== 'string' ||
    !(EXECUTION_STATUSES as readonly string[]).includes(status)
  ) {
    throw new JobsDeviceError('InvalidRequest', 'status is required');
  }
  return {
    status: status as UpdateInput['status'],
    statusDetails: details(request.statusDetails),
    expectedVersion: integer(request.expectedVersion, 'expectedVersion'),
    executionNumber: integer(request.executionNumber, 'executionNumber'),
    stepTimeoutInMinutes: minutes(request.stepTimeoutInMinutes),
  };
}

function data(service: JobsService, e: ExecutionRecord, document = true) {
  return executionData(e, service.job(e.jobId), document);
}

function parseRequest(payload: Buffer): Record<string, unknown> {
  if (payload.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    throw new JobsDeviceError('InvalidJson', 'the request is not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new JobsDeviceError(
      'InvalidJson',
      'the request is not a JSON object',
    );
  }
  return value as Record<string, unknown>;
}

function details(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const invalid = () =>
    new JobsDeviceError(
      'InvalidRequest',
      'statusDetails must map [a-zA-Z0-9:_-] keys to strings of 1024 or fewer',
    );
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid();
  }
  for (const [key, detail] of Object.entries(value)) {
    const ok =
      DETAIL_KEY.test(key) &&
      typeof detail === 'string' &&
      detail.length <= MAX_DETAIL_CHARS;
    if (!ok) throw invalid();
  }
  return value as Record<string, string>;
}

function integer(value: unknown, name: string) {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value)) {
    throw new JobsDeviceError('InvalidRequest', `${name} must be an integer`);
  }
  return value as number;
}

function minutes(value: unknown) {
  const n = integer(value, 'stepTimeoutInMinutes');
  if (n !== undefined && (n < 1 || n > 10_080)) {
    throw new JobsDeviceError(
      'InvalidRequest',
      'stepTimeoutInMinutes must be from 1 to 10080',
    );
  }
  return n;
}

function errorResponse(error: JobsDeviceError, clientToken?: string) {
  const code: DeviceErrorCode = error.errorCode;
  return {
    code,
    message: error.message,
    timestamp: seconds(Date.now()),
    ...(clientToken === undefined ? {} : { clientToken }),
    ...(error.executionState === undefined
      ? {}
      : { executionState: error.executionState }),
  };
}

/** notify-next and notify, as the service reports changes. */
function notifyWith(service: JobsService, send: Send) {
  const onNext = (event: { thingName: string; execution?: ExecutionRecord }) =>
    send(`$aws/things/${event.thingName}/jobs/notify-next`, {
      timestamp: seconds(Date.now()),
      ...(event.execution ? { execution: data(service, event.execution) } : {}),
    });
  const onPending = (event: { thingName: string }) => {
    const pending = service.pendingFor(event.thingName);
    // An empty status list is left out, as in the documented payloads.
    const jobs: Record<string, unknown> = {};
    for (const status of ['IN_PROGRESS', 'QUEUED']) {
      const list = pending.filter((e) => e.status === status);
      if (list.length > 0) jobs[status] = list.map(executionSummary);
    }
    send(`$aws/things/${event.thingName}/jobs/notify`, {
      timestamp: seconds(Date.now()),
      jobs,
    });
  };
  service.on('next-changed', onNext);
  service.on('pending-changed', onPending);
  return () => {
    service.off('next-changed', onNext);
    service.off('pending-changed', onPending);
  };
}
