import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import type { AgentLogger } from '../logger.js';
import { JOBS_ERROR_CODES, JobsError } from './errors.js';
import {
  type ErrorResponse,
  type ExecutionState,
  errorResponseSchema,
  type JobExecution,
  nextExecutionSchema,
  type UpdateRequest,
  updateAcceptedSchema,
} from './messages.js';
import { type JobsTopics, jobsTopics, parseJobsTopic } from './topics.js';

/**
 * The device side of the Jobs MQTT API as request and reply: each request
 * carries a fresh `clientToken`, and the reply on `/accepted` or
 * `/rejected` with the same token settles it. Replies with a token this
 * client did not send (an old request the outbox sent again after a
 * restart) are ignored.
 *
 *   publish (QoS1) ─▶ PUBACK ─▶ wait responseTimeoutMs ─▶ accepted | rejected
 *                                        └─▶ JobsError jobs-response-timeout
 */
export interface JobsTransport {
  /** QoS1 publish; resolves on PUBACK, however long that takes. */
  publish(topic: string, payload: string): Promise<void>;
}

export interface JobsClientOptions {
  thingName: string;
  transport: JobsTransport;
  logger: AgentLogger;
  /** How long to wait for a reply after the PUBACK, ms. @default 30_000 */
  responseTimeoutMs?: number;
}

export const jobsClientDefaults = { responseTimeoutMs: 30_000 };

type ReplyKind = 'start-next' | 'get-next' | 'update';

interface Pending {
  kind: ReplyKind;
  resolve(payload: unknown): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

export class JobsClient {
  readonly topics: JobsTopics;
  readonly #options: JobsClientOptions & { responseTimeoutMs: number };
  readonly #pending = new Map<string, Pending>();
  #notifyListener: ((execution: JobExecution) => void) | undefined;
  #stopped = false;

  constructor(options: JobsClientOptions) {
    this.#options = {
      ...options,
      responseTimeoutMs:
        options.responseTimeoutMs ?? jobsClientDefaults.responseTimeoutMs,
    };
    this.topics = jobsTopics(options.thingName);
  }

  /** StartNextPendingJobExecution; undefined when nothing is pending. */
  async startNext(stepTimeoutInMinutes?: number) {
    const body = stepTimeoutInMinutes ? { stepTimeoutInMinutes } : {};
    const reply = await this.#request(
      'start-next',
      this.topics.startNext,
      body,
    );
    return parse(nextExecutionSchema, reply).execution;
  }

  /** DescribeJobExecution of `$next`, with its job document. */
  async describeNext() {
    const body = { includeJobDocument: true };
    const reply = await this.#request('get-next', this.topics.getNext, body);
    return parse(nextExecutionSchema, reply).execution;
  }

  /** UpdateJobExecution; resolves with the new state (it is asked for). */
  async update(
    jobId: string,
    request: Omit<UpdateRequest, 'clientToken' | 'includeJobExecutionState'>,
  ): Promise<ExecutionState | undefined> {
    const body = { ...request, includeJobExecutionState: true };
    const topic = this.topics.update(jobId);
    const reply = await this.#request('update', topic, body);
    return parse(updateAcceptedSchema, reply).executionState;
  }

  onNotifyNext(listener: (execution: JobExecution) => void) {
    this.#notifyListener = listener;
  }

  /** Routes one received message; false when it is not a jobs topic. */
  handleMessage(topic: string, payload: string): boolean {
    const kind = parseJobsTopic(this.#options.thingName, topic);
    if (!kind) return false;

    const body = parseJson(payload);
    if (kind.kind === 'notify-next') {
      const next = nextExecutionSchema.safeParse(body);
      const execution = next.success ? next.data.execution : undefined;
      if (execution) this.#notifyListener?.(execution);
      return true;
    }
    this.#settle(kind.kind, kind.outcome, body);
    return true;
  }

  /** Fails every open request; later replies are ignored. */
  stop() {
    this.#stopped = true;
    for (const [token, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(stoppedError());
      this.#pending.delete(token);
    }
  }

  #request(kind: ReplyKind, topic: string, body: object): Promise<unknown> {
    if (this.#stopped) return Promise.reject(stoppedError());

    const clientToken = randomUUID();
    const payload = JSON.stringify({ ...body, clientToken });
    return new Promise((resolve, reject) => {
      const pending: Pending = { kind, resolve, reject };
      this.#pending.set(clientToken, pending);
      this.#options.transport.publish(topic, payload).then(
        () => this.#armTimeout(clientToken, pending, topic),
        (error: Error) => this.#fail(clientToken, error),
      );
    });
  }

  #armTimeout(token: string, pending: Pending, topic: string) {
    if (!this.#pending.has(token)) return;
    const ms = this.#options.responseTimeoutMs;
    pending.timer = setTimeout(() => {
      this.#fail(
        token,
        new JobsError(
          JOBS_ERROR_CODES.responseTimeout,
          `no reply to ${topic} within ${ms} ms`,
        ),
      );
    }, ms);
  }

  #fail(token: string, error: Error) {
    const pending = this.#pending.get(token);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.#pending.delete(token);
    pending.reject(error);
  }

  #settle(kind: ReplyKind, outcome: 'accepted' | 'rejected', body: unknown) {
    const token = (body as { clientToken?: unknown } | undefined)?.clientToken;
    const pending = typeof token === 'string' && this.#pending.get(token);
    if (!pending || pending.kind !== kind) {
      this.#options.logger.debug('jobs reply without a request', { kind });
      return;
    }
    clearTimeout(pending.timer);
    this.#pending.delete(token as string);

    if (outcome === 'accepted') {
      pending.resolve(body);
      return;
    }
    const response = errorResponseSchema.safeParse(body);
    pending.reject(
      rejectedError(kind, response.success ? response.data : undefined),
    );
  }
}

function rejectedError(kind: ReplyKind, response: ErrorResponse | undefined) {
  const code = response?.code ?? 'unreadable';
  return new JobsError(
    JOBS_ERROR_CODES.rejected,
    `${kind} rejected: ${code} ${response?.message ?? ''}`.trim(),
    response,
  );
}

function stoppedError() {
  return new JobsError(JOBS_ERROR_CODES.stopped, 'the jobs client stopped');
}

function parseJson(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return undefined;
  }
}

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new JobsError(
    JOBS_ERROR_CODES.unreadable,
    `unreadable reply: ${result.error.issues[0]?.message}`,
  );
}
