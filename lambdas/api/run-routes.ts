import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { runRequestSchema, runSchema } from '../../core/schemas/api-runs.js';
import { ULID_PATTERN, ulid } from '../../core/ulid.js';
import type { MetaItem } from '../lib/items.js';
import {
  type OnDemandRuns,
  type RunItem,
  runDefaults,
  runKey,
} from '../lib/on-demand-runs.js';
import { deviceNotFound, requireDeviceId } from './query.js';
import { ApiError } from './responses.js';
import { type ApiRequest, defineRoutes } from './route-types.js';
import { planRun } from './run-plan.js';
import type { ApiServices } from './services.js';
import { actorOf, requireClient, seesClient } from './token-scope.js';

type RunRequest = z.infer<typeof runRequestSchema>;

function runsOf(services: ApiServices): OnDemandRuns {
  if (services.runs) return services.runs;
  throw new ApiError(
    503,
    'runs-unavailable',
    'on-demand runs need the job-signing secret, which is not configured',
  );
}

/** The devices a target names, and the client they belong to. */
async function targetDevices(
  request: ApiRequest,
  target: RunRequest['target'],
) {
  const { services, scope } = request;
  if ('deviceId' in target) {
    const deviceId = requireDeviceId(target.deviceId);
    const meta = await services.reader.meta(deviceId);
    if (!meta || !seesClient(scope, meta.clientId)) {
      throw deviceNotFound(deviceId);
    }
    return { clientId: meta.clientId, devices: [meta] };
  }

  requireClient(scope, target.clientId);
  const { devices } = await services.reader.clientIndex(target.clientId);
  const inTarget = (devices as (MetaItem & { siteId?: string })[]).filter(
    (d) => target.siteId === undefined || d.siteId === target.siteId,
  );
  return { clientId: target.clientId, devices: inTarget };
}

async function startRun(request: ApiRequest) {
  const body = request.body as RunRequest;
  const { services } = request;
  const runs = runsOf(services);
  const { clientId, devices } = await targetDevices(request, body.target);

  const now = services.now();
  const runId = ulid(now, randomBytes);
  const plan = planRun(devices, body.action, {
    prefix: runs.jobIdPrefix,
    runId,
  });
  if (plan.jobs.length === 0) {
    throw new ApiError(
      422,
      'nothing-to-run',
      `no device of the target can run it (${plan.skipped.length} skipped)`,
    );
  }

  const run: RunItem = {
    ...runKey(runId),
    runId,
    clientId,
    createdAt: new Date(now).toISOString(),
    createdBy: actorOf(request.scope),
    target: body.target,
    action: body.action,
    jobs: plan.jobs.map(({ params: _params, ...job }) => job),
    skipped: plan.skipped,
    expiresAt: Math.floor(now / 1000) + runDefaults.retentionDays * 86_400,
  };
  await runs.start(run, plan.jobs, now);
  services.logger.info('on-demand run started', {
    runId,
    clientId,
    jobs: plan.jobs.length,
    skipped: plan.skipped.length,
  });
  return {
    status: 202,
    body: { run: await runView(runs, run) },
    headers: { location: `/runs/${runId}` },
  };
}

async function getRun(request: ApiRequest) {
  const runs = runsOf(request.services);
  const runId = request.params.runId ?? '';
  const run = ULID_PATTERN.test(runId) ? await runs.get(runId) : undefined;
  if (!run || !seesClient(request.scope, run.clientId)) {
    throw new ApiError(404, 'run-not-found', `no run "${runId}"`);
  }
  return { status: 200, body: { run: await runView(runs, run) } };
}

/** The run with each job's execution status as IoT Jobs has it now. */
async function runView(runs: OnDemandRuns, run: RunItem) {
  const jobs = await Promise.all(
    run.jobs.map(async (job) => ({
      jobId: job.jobId,
      deviceId: job.deviceId,
      remedy: job.remedy,
      check: job.check,
      ...(await runs.execution(job.jobId, job.deviceId)),
    })),
  );
  return {
    runId: run.runId,
    clientId: run.clientId,
    createdAt: run.createdAt,
    createdBy: run.createdBy,
    target: run.target,
    action: run.action,
    status: runStatus(jobs.map((j) => j.status)),
    jobs,
    skipped: run.skipped,
  };
}

const PENDING = new Set(['QUEUED', 'IN_PROGRESS']);

export function runStatus(statuses: string[]) {
  if (statuses.every((s) => s === 'QUEUED')) return 'queued' as const;
  if (statuses.some((s) => PENDING.has(s))) return 'in-progress' as const;
  if (statuses.every((s) => s === 'SUCCEEDED')) return 'succeeded' as const;
  return 'failed' as const;
}

const runEnvelopeSchema = z.strictObject({ run: runSchema });

export const routes = defineRoutes([
  {
    method: 'POST',
    path: '/runs',
    operationId: 'startRun',
    summary: 'Run a cycle or a remedy now on a device or a group',
    tag: 'runs',
    body: runRequestSchema,
    responses: {
      202: {
        description: 'the run, with its jobs queued',
        schema: runEnvelopeSchema,
        headers: ['location'],
      },
    },
    handle: startRun,
  },
  {
    method: 'GET',
    path: '/runs/{runId}',
    operationId: 'getRun',
    summary: 'A run and the status of each of its jobs',
    tag: 'runs',
    responses: { 200: { description: 'the run', schema: runEnvelopeSchema } },
    handle: getRun,
  },
]);
