import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import type { AwsClients } from '../lib/clients.js';
import { cachedKey } from '../lib/create-remedy-loop.js';
import type { JobSigningKey } from '../lib/job-signing.js';
import { createLogger } from '../lib/logger.js';
import { PolicyLayerStore } from '../lib/policy-layers.js';
import type { PlannerConfig } from './config.js';
import { DeploymentJobs } from './deployment-jobs.js';
import { PatchStore } from './patch-store.js';
import { type ClientPlan, PatchPlanner } from './planner.js';

export interface PlannerHandlerDeps {
  config: PlannerConfig;
  clients: Pick<AwsClients, 'doc' | 'iot'>;
  /** @default a Powertools Logger from config */
  logger?: Logger;
  /** Clock, ms since the epoch. @default Date.now */
  now?: () => number;
  /** @default the secret from config, read once */
  signingKey?: () => Promise<JobSigningKey>;
}

/**
 * What starts a run: the hourly schedule (`{}`, every client), or one
 * client after its weekly assessment (`{"clientId": "acme"}`).
 */
export const plannerEventSchema = z
  .object({
    clientId: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/)
      .optional(),
  })
  .loose();

/** The patch planner Lambda (docs/patch-doctor.md). */
export function createPlannerHandler(deps: PlannerHandlerDeps) {
  const planner = createPlanner(deps);
  const logger = deps.logger ?? createLogger(deps.config);

  return middy(
    async (event: unknown, _context: Context): Promise<ClientPlan[]> => {
      const parsed = plannerEventSchema.safeParse(event ?? {});
      if (!parsed.success) {
        // A bad invocation is a deployment mistake: say it, run nothing.
        logger.error('planner event refused', {
          issues: parsed.error.issues.map((i) => i.message),
        });
        throw new Error(`planner event refused: ${parsed.error.message}`);
      }
      const { clientId } = parsed.data;
      return clientId
        ? [await planner.planClient(clientId)]
        : planner.planAll();
    },
  ).use(injectLambdaContext(logger, { resetKeys: true }));
}

export function createPlanner(deps: PlannerHandlerDeps): PatchPlanner {
  const { config, clients } = deps;
  return new PatchPlanner({
    store: new PatchStore(clients.doc, config.tableName),
    policies: new PolicyLayerStore(clients.doc, config.tableName),
    jobs: new DeploymentJobs(clients.iot, {
      thingArnPrefix: config.remedies.thingArnPrefix,
      jobIdPrefix: config.remedies.jobIdPrefix,
      documentTtlHours: config.remedies.documentTtlHours,
      signingKey: deps.signingKey ?? cachedKey(config.remedies),
    }),
    logger: deps.logger ?? createLogger(config),
    now: deps.now ?? Date.now,
  });
}
