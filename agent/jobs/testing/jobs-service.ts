import type { JobExecutionStatus } from '../messages.js';

/**
 * A small IoT Jobs service for agent tests: the device MQTT API as AWS
 * documents it (start-next, $next/get, {jobId}/update, notify-next; every
 * reply on the request topic plus /accepted or /rejected with the
 * request's clientToken; expectedVersion checked; terminal states final),
 * attached to a real broker as an in-process subscriber. It records every
 * request, and can lose replies or cancel executions on purpose.
 */
export interface BrokerPort {
  subscribeInternal(
    filter: string,
    handler: (message: { topic: string; payload: Buffer }) => void,
  ): Promise<() => Promise<void>>;
  publish(topic: string, payload: string): Promise<void>;
}

export interface TestExecution {
  jobId: string;
  thingName: string;
  jobDocument: unknown;
  status: JobExecutionStatus;
  statusDetails: Record<string, string>;
  versionNumber: number;
  executionNumber: number;
  queuedAt: number;
  /** Every accepted update, in order. */
  updates: { status: string; statusDetails: Record<string, string> }[];
}

export interface RecordedRequest {
  thingName: string;
  operation: string;
  body: Record<string, unknown>;
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'REJECTED', 'CANCELED']);
const DEVICE_STATUSES = new Set([
  'IN_PROGRESS',
  'SUCCEEDED',
  'FAILED',
  'REJECTED',
]);
const TOPIC = /^\$aws\/things\/([^/]+)\/jobs\/(.+)$/;

class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly execution?: TestExecution,
  ) {
    super(message);
  }
}

export class TestJobsService {
  readonly executions = new Map<string, TestExecution>();
  readonly requests: RecordedRequest[] = [];
  /**
   * Replies to drop, one per entry: an operation (`start-next`, `update`)
   * or an update with its status (`update:SUCCEEDED`).
   */
  readonly lose: string[] = [];
  /** Requests to swallow unanswered, matched like `lose`. */
  readonly ignore: string[] = [];
  #broker: BrokerPort;
  #unsubscribe: (() => Promise<void>) | undefined;
  #clock = 0;

  private constructor(broker: BrokerPort) {
    this.#broker = broker;
  }

  static async start(broker: BrokerPort) {
    const service = new TestJobsService(broker);
    service.#unsubscribe = await broker.subscribeInternal(
      '$aws/things/+/jobs/#',
      (message) => service.#receive(message.topic, message.payload),
    );
    return service;
  }

  /** Queues an execution, as CreateJob would for one thing. */
  queue(thingName: string, jobId: string, jobDocument: unknown) {
    const before = this.#next(thingName)?.jobId;
    this.executions.set(jobId, {
      jobId,
      thingName,
      jobDocument,
      status: 'QUEUED',
      statusDetails: {},
      versionNumber: 1,
      executionNumber: 1,
      queuedAt: ++this.#clock,
      updates: [],
    });
    this.#notifyIfChanged(thingName, before);
  }

  /** CancelJobExecution with force: the device learns at its next update. */
  cancel(jobId: string) {
    const execution = this.#get(jobId);
    execution.status = 'CANCELED';
    execution.versionNumber += 1;
  }

  execution(jobId: string): TestExecution {
    return this.#get(jobId);
  }

  /** Resolves once `test` holds, checking after every request. */
  async waitFor(test: () => boolean, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      if (Date.now() > deadline) {
        throw new Error(`waited ${timeoutMs} ms; requests: ${this.#summary()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close() {
    await this.#unsubscribe?.();
  }

  #summary() {
    return this.requests.map((r) => `${r.operation}`).join(', ');
  }

  #get(jobId: string) {
    const execution = this.executions.get(jobId);
    if (!execution) throw new Error(`no execution ${jobId}`);
    return execution;
  }

  #receive(topic: string, payload: Buffer) {
    const match = TOPIC.exec(topic);
    const [, thingName = '', operation = ''] = match ?? [];
    if (!match || /(accepted|rejected)$|^notify/.test(operation)) return;

    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(payload.toString('utf8'));
    } catch {
      // An unreadable request is answered as AWS does: InvalidJson.
    }
    this.requests.push({ thingName, operation, body });
    if (take(this.ignore, operation, body)) return;
    this.#answer(topic, thingName, operation, body);
  }

  #answer(
    topic: string,
    thingName: string,
    operation: string,
    body: Record<string, unknown>,
  ) {
    const clientToken = body.clientToken;
    let reply: { outcome: string; body: Record<string, unknown> };
    try {
      reply = {
        outcome: 'accepted',
        body: this.#operate(thingName, operation, body),
      };
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      reply = { outcome: 'rejected', body: rejection(error) };
    }

    if (take(this.lose, operation, body)) return;
    void this.#broker.publish(
      `${topic}/${reply.outcome}`,
      JSON.stringify({ ...reply.body, clientToken, timestamp: this.#clock }),
    );
  }

  #operate(
    thingName: string,
    operation: string,
    body: Record<string, unknown>,
  ) {
    if (operation === 'start-next') return this.#startNext(thingName, body);
    if (operation === '$next/get') {
      const next = this.#next(thingName);
      return next ? { execution: wire(next) } : {};
    }
    const update = /^([^/]+)\/update$/.exec(operation);
    if (update?.[1]) return this.#update(thingName, update[1], body);
    throw new Refusal('InvalidTopic', `no operation ${operation}`);
  }

  #startNext(thingName: string, body: Record<string, unknown>) {
    const next = this.#next(thingName);
    if (!next) return {};
    if (next.status === 'QUEUED') {
      next.status = 'IN_PROGRESS';
      next.versionNumber += 1;
      Object.assign(next.statusDetails, body.statusDetails ?? {});
    }
    return { execution: wire(next) };
  }

  #update(thingName: string, jobId: string, body: Record<string, unknown>) {
    const execution = this.executions.get(jobId);
    if (!execution || execution.thingName !== thingName) {
      throw new Refusal('ResourceNotFound', `no execution ${jobId}`);
    }
    const expected = body.expectedVersion;
    if (expected !== undefined && expected !== execution.versionNumber) {
      throw new Refusal('VersionMismatch', 'version mismatch', execution);
    }
    if (TERMINAL.has(execution.status)) {
      throw new Refusal('InvalidStateTransition', 'terminal', execution);
    }
    const status = String(body.status);
    const details = (body.statusDetails ?? {}) as Record<string, unknown>;
    checkUpdate(status, details);

    const before = this.#next(thingName)?.jobId;
    execution.status = status as JobExecutionStatus;
    Object.assign(execution.statusDetails, details);
    execution.versionNumber += 1;
    execution.updates.push({
      status,
      statusDetails: details as Record<string, string>,
    });
    this.#notifyIfChanged(thingName, before);
    return body.includeJobExecutionState
      ? { executionState: state(execution) }
      : {};
  }

  /** IN_PROGRESS first, then QUEUED, each oldest first. */
  #next(thingName: string): TestExecution | undefined {
    const pending = [...this.executions.values()].filter(
      (e) =>
        e.thingName === thingName &&
        (e.status === 'IN_PROGRESS' || e.status === 'QUEUED'),
    );
    const rank = (e: TestExecution) => (e.status === 'IN_PROGRESS' ? 0 : 1);
    return pending.sort(
      (a, b) => rank(a) - rank(b) || a.queuedAt - b.queuedAt,
    )[0];
  }

  #notifyIfChanged(thingName: string, before: string | undefined) {
    const next = this.#next(thingName);
    if (next?.jobId === before) return;
    const body = next ? { execution: wire(next) } : {};
    void this.#broker.publish(
      `$aws/things/${thingName}/jobs/notify-next`,
      JSON.stringify({ ...body, timestamp: this.#clock }),
    );
  }
}

/** Removes and reports the first entry naming this request. */
function take(
  list: string[],
  operation: string,
  body: Record<string, unknown>,
) {
  const kind = operation.endsWith('/update') ? 'update' : operation;
  const at = list.findIndex(
    (l) => l === kind || l === `${kind}:${body.status}`,
  );
  if (at < 0) return false;
  list.splice(at, 1);
  return true;
}

function checkUpdate(status: string, details: Record<string, unknown>) {
  if (!DEVICE_STATUSES.has(status)) {
    throw new Refusal('InvalidRequest', `status ${status} is not allowed`);
  }
  for (const [key, value] of Object.entries(details)) {
    const ok =
      /^[a-zA-Z0-9:_-]{1,128}$/.test(key) &&
      typeof value === 'string' &&
      value.length <= 1024;
    if (!ok) throw new Refusal('InvalidRequest', `bad statusDetails ${key}`);
  }
}

function wire(e: TestExecution) {
  return {
    jobId: e.jobId,
    thingName: e.thingName,
    jobDocument: e.jobDocument,
    status: e.status,
    statusDetails: e.statusDetails,
    queuedAt: e.queuedAt,
    lastUpdatedAt: e.queuedAt,
    versionNumber: e.versionNumber,
    executionNumber: e.executionNumber,
  };
}

function state(e: TestExecution) {
  return {
    status: e.status,
    statusDetails: e.statusDetails,
    versionNumber: e.versionNumber,
  };
}

function rejection(error: Refusal) {
  return {
    code: error.code,
    message: error.message,
    ...(error.execution ? { executionState: state(error.execution) } : {}),
  };
}
