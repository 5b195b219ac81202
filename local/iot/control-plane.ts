import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { type LoopbackHost, listen, urlHost } from '../net/listen.js';
import { CONTROL_ERRORS, IotControlError } from './errors.js';
import type { JobsService } from './jobs-service.js';
import type { RetryCriterion } from './model.js';
import {
  type AbortCriterion,
  type RolloutConfig,
  validateRollout,
} from './rollout.js';
import { controlExecution, controlJob } from './wire.js';

/** IoT caps a request body well below this; larger is refused, bytes. */
const MAX_BODY_BYTES = 64 * 1024;

type Route = (
  service: JobsService,
  params: string[],
  query: URLSearchParams,
  body: Record<string, unknown>,
) => unknown;

/**
 * The IoT control-plane operations our functions call, over the restJson1
 * protocol @aws-sdk/client-iot speaks (paths and members from its
 * schemas): CreateJob `PUT /jobs/{jobId}`, DescribeJob `GET /jobs/{jobId}`,
 * CancelJob `PUT /jobs/{jobId}/cancel`, DescribeJobExecution
 * `GET /things/{thingName}/jobs/{jobId}` and ListJobExecutionsForThing
 * `GET /things/{thingName}/jobs`. Errors carry `x-amzn-errortype`, which
 * the SDK maps to its exception classes.
 */
const ROUTES: [string, RegExp, Route][] = [
  ['PUT', /^\/jobs\/([^/]+)$/, createJob],
  ['GET', /^\/jobs\/([^/]+)$/, describeJob],
  ['PUT', /^\/jobs\/([^/]+)\/cancel$/, cancelJob],
  ['GET', /^\/things\/([^/]+)\/jobs\/([^/]+)$/, describeExecution],
  ['GET', /^\/things\/([^/]+)\/jobs$/, listForThing],
];

/** A request to an operation served beside the jobs (the registry). */
export interface ControlCall {
  params: string[];
  query: URLSearchParams;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
}

export type ExtraRoute = [string, RegExp, (call: ControlCall) => unknown];

export async function startControlPlane(
  service: JobsService,
  host: LoopbackHost,
  port: number,
  onError: (error: unknown) => void,
): Promise<{ endpoint: string; server: Server; extraRoutes: ExtraRoute[] }> {
  // Filled later by the parts that serve more of the IoT API.
  const extraRoutes: ExtraRoute[] = [];
  const server = createServer((req, res) => {
    handle(service, req, res, extraRoutes).catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const bound = await listen(server, host, port);
  return { endpoint: `http://${urlHost(host)}:${bound}`, server, extraRoutes };
}

async function handle(
  service: JobsService,
  req: IncomingMessage,
  res: ServerResponse,
  extraRoutes: ExtraRoute[],
) {
  const url = new URL(req.url ?? '/', 'http://stand-in');
  try {
    const extra = extraRouteOf(extraRoutes, req.method ?? '', url.pathname);
    if (extra) {
      const [serve, params] = extra;
      const call = { params, query: url.searchParams, headers: req.headers };
      const body = await readBody(req);
      return reply(res, 200, (await serve({ ...call, body })) ?? {});
    }
    const [route, params] = routeOf(req.method ?? '', url.pathname);
    const body = await readBody(req);
    reply(res, 200, route(service, params, url.searchParams, body) ?? {});
  } catch (error) {
    if (!(error instanceof IotControlError)) throw error;
    const { type, status } = CONTROL_ERRORS[error.kind];
    reply(res, status, { message: error.message, ...error.fields }, type);
  }
}

function extraRouteOf(
  routes: ExtraRoute[],
  method: string,
  path: string,
): [ExtraRoute[2], string[]] | undefined {
  for (const [verb, pattern, serve] of routes) {
    const match = verb === method ? pattern.exec(path) : null;
    if (match) return [serve, match.slice(1).map(decodeURIComponent)];
  }
  return undefined;
}

function routeOf(method: string, path: string): [Route, string[]] {
  for (const [verb, pattern, route] of ROUTES) {
    const match = verb === method ? pattern.exec(path) : null;
    if (match) return [route, match.slice(1).map(decodeURIComponent)];
  }
  throw new IotControlError(
    'unsupported-operation',
    `The stand-in does not serve ${method} ${path}`,
  );
}

function createJob(
  service: JobsService,
  [jobId]: string[],
  _q: URLSearchParams,
  body: Record<string, unknown>,
) {
  const timeout = body.timeoutConfig as
    | { inProgressTimeoutInMinutes?: number }
    | undefined;
  const retry = body.jobExecutionsRetryConfig as
    | { criteriaList?: RetryCriterion[] }
    | undefined;
  const rollout = body.jobExecutionsRolloutConfig as RolloutConfig | undefined;
  const abort = body.abortConfig as
    | { criteriaList?: AbortCriterion[] }
    | undefined;
  const invalid = validateRollout(rollout, abort?.criteriaList);
  if (invalid) throw new IotControlError('invalid-request', invalid);
  if (typeof body.document !== 'string') {
    throw new IotControlError(
      'invalid-request',
      'document is required (documentSource is not served)',
    );
  }
  const job = service.createJob({
    jobId: jobId as string,
    targets: Array.isArray(body.targets) ? (body.targets as string[]) : [],
    document: body.document,
    description:
      typeof body.description === 'string' ? body.description : undefined,
    inProgressTimeoutMinutes: timeout?.inProgressTimeoutInMinutes,
    retryCriteria: retry?.criteriaList,
    rollout,
    abortCriteria: abort?.criteriaList,
  });
  return { jobArn: job.jobArn, jobId: job.jobId, description: job.description };
}

function describeJob(service: JobsService, [jobId]: string[]) {
  const job = service.job(jobId as string);
  return { job: controlJob(job, service.executionsOf(job.jobId)) };
}

function cancelJob(
  service: JobsService,
  [jobId]: string[],
  query: URLSearchParams,
  body: Record<string, unknown>,
) {
  const job = service.cancelJob(jobId as string, {
    force: query.get('force') === 'true',
    reasonCode:
      typeof body.reasonCode === 'string' ? body.reasonCode : undefined,
    comment: typeof body.comment === 'string' ? body.comment : undefined,
  });
  return { jobArn: job.jobArn, jobId: job.jobId, description: job.description };
}

function describeExecution(
  service: JobsService,
  [thingName, jobId]: string[],
  query: URLSearchParams,
) {
  const number = query.get('executionNumber');
  const execution = service.execution(
    jobId as string,
    thingName as string,
    number === null ? undefined : Number(number),
  );
  if (!execution) {
    throw new IotControlError(
      'not-found',
      `No job execution ${jobId} for ${thingName}`,
    );
  }
  const arn = service.thingArn(thingName as string);
  return { execution: controlExecution(execution, arn, Date.now()) };
}

/** Known limitation: one page holds everything; nextToken is never set. */
function listForThing(
  service: JobsService,
  [thingName]: string[],
  query: URLSearchParams,
) {
  const status = query.get('status');
  const jobId = query.get('jobId');
  const executions = service
    .executionsFor(thingName as string)
    .filter(
      (e) =>
        (status === null || e.status === status) &&
        (jobId === null || e.jobId === jobId),
    );
  return {
    executionSummaries: executions.map((e) => ({
      jobId: e.jobId,
      jobExecutionSummary: {
        status: e.status,
        queuedAt: Math.floor(e.queuedAt / 1000),
        startedAt: e.startedAt && Math.floor(e.startedAt / 1000),
        lastUpdatedAt: Math.floor(e.lastUpdatedAt / 1000),
        executionNumber: e.executionNumber,
        retryAttempt: e.retryAttempt,
      },
    })),
  };
}

async function readBody(
  req: IncomingMessage,
): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new IotControlError('invalid-request', 'the request is too large');
    }
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new IotControlError('invalid-request', 'the body is not JSON');
  }
}

function reply(
  res: ServerResponse,
  status: number,
  body: unknown,
  errorType?: string,
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(text);
}
