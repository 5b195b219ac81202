import { type CommonConfig, type Env, readCommon } from '../lib/config.js';
import { ConfigError } from '../lib/errors.js';
import { type RemedyConfig, readRemedyConfig } from '../lib/remedy-config.js';

/**
 * The planner's environment: the common variables (TABLE_NAME, ...) and
 * the job-signing ones of lambdas/lib/remedy-config.ts; without a signing
 * secret it cannot sign a deployment and does not start.
 */
export interface PlannerConfig extends CommonConfig {
  remedies: RemedyConfig;
}

export function readPlannerConfig(env: Env = process.env): PlannerConfig {
  const remedies = readRemedyConfig(env);
  if (!remedies) {
    const why = 'the patch planner signs every deployment it sends';
    throw new ConfigError(
      'missing-variable',
      'JOB_SIGNING_SECRET_ID',
      `set JOB_SIGNING_SECRET_ID or JOB_SIGNING_SECRET: ${why}`,
    );
  }
  return { ...readCommon(env, 'upkeep-patch-planner'), remedies };
}
