import { fileURLToPath } from 'node:url';

/**
 * Absolute paths the CDK app needs, resolved from this file so that `cdk
 * synth` and the tests work from any working directory.
 */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const paths = {
  lockFile: `${REPO_ROOT}package-lock.json`,
  ingestHandler: `${REPO_ROOT}lambdas/ingest/handler.ts`,
  apiHandler: `${REPO_ROOT}lambdas/api/handler.ts`,
  jobEventsHandler: `${REPO_ROOT}lambdas/job-events/handler.ts`,
  cyclesHandler: `${REPO_ROOT}lambdas/cycles/handler.ts`,
  policyHandler: `${REPO_ROOT}lambdas/policy/handler.ts`,
  sweepHandler: `${REPO_ROOT}lambdas/sweep/handler.ts`,
  presenceHandler: `${REPO_ROOT}lambdas/sweep/presence-handler.ts`,
  preTokenHandler: `${REPO_ROOT}lambdas/auth/handler.ts`,
  jobKeyHandler: `${REPO_ROOT}lambdas/job-key/handler.ts`,
} as const;
