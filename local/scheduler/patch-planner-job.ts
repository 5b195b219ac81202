import { createClients } from '../../lambdas/lib/clients.js';
import type { Env } from '../../lambdas/lib/config.js';
import { readPlannerConfig } from '../../lambdas/patches/config.js';
import { createPlannerHandler } from '../../lambdas/patches/create-planner-handler.js';
import type { Closers } from '../closers.js';
import { createLambdaContext } from '../lambda-context.js';
import type { PeriodicJob } from './local-scheduler.js';

/**
 * The patch planner's hourly schedule in the local stack (infra's
 * PatchDeployment in AWS): the planner function's code on the stack's
 * table and IoT Jobs stand-in, on the scheduler's clock. Without the
 * stand-in's endpoint and the signing secret in `env` there is nothing to
 * deploy to, and no job is made: the planner never aims at AWS from here.
 */
export const patchPlannerEveryMs = 3_600_000;

export function patchPlannerJob(
  env: Env,
  credentials: { accessKeyId: string; secretAccessKey: string },
  closers: Closers,
  now: () => number,
): PeriodicJob[] {
  if (!env.AWS_ENDPOINT_URL_IOT || !env.JOB_SIGNING_SECRET) return [];
  const config = readPlannerConfig({
    ...env,
    POWERTOOLS_SERVICE_NAME: 'upkeep-patch-planner',
  });
  const clients = createClients({ ...config, credentials });
  closers.add('patch planner clients', () => {
    clients.dynamo.destroy();
    clients.iot.destroy();
  });
  const planner = createPlannerHandler({ config, clients, now });
  const context = createLambdaContext({ functionName: 'upkeep-patch-planner' });
  return [
    {
      name: 'patch-planner',
      everyMs: patchPlannerEveryMs,
      run: () => planner({}, context),
    },
  ];
}
