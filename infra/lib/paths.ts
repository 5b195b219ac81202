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
} as const;
