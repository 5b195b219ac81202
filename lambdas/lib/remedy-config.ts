import { type Env, optional, positiveInt, required } from './config.js';
import { ConfigError } from './errors.js';

/**
 * What a function needs to send remedy jobs, read from the environment:
 *
 *   JOB_SIGNING_SECRET_ID   Secrets Manager secret id of the signing seed,
 *                           read through the Parameters and Secrets Lambda
 *                           extension (AWS)
 *   JOB_SIGNING_SECRET      the seed itself (local mode); wins over the id
 *   THING_ARN_PREFIX        `arn:<partition>:iot:<region>:<account>:thing/`
 *   JOB_ID_PREFIX           job ids start with it (default `upkeep`); the
 *                           IAM policy allows jobs under this prefix only
 *   JOB_DOCUMENT_TTL_HOURS  a job document expires this long after it was
 *                           issued (default 168: a week away still runs it)
 *
 * Without a signing secret the function sends no remedies at all.
 */
export const remedyConfigDefaults = {
  jobIdPrefix: 'upkeep',
  documentTtlHours: 168,
} as const;

export type SigningSecretSource =
  | { kind: 'value'; value: string }
  | { kind: 'secrets-manager'; secretId: string };

export interface RemedyConfig {
  signingSecret: SigningSecretSource;
  thingArnPrefix: string;
  jobIdPrefix: string;
  documentTtlHours: number;
}

const ARN_PREFIX = /^arn:[a-z-]+:iot:[a-z0-9-]*:[0-9]*:thing\/$/;
const JOB_PREFIX = /^[a-zA-Z0-9_-]{1,24}$/;

export function readRemedyConfig(env: Env): RemedyConfig | undefined {
  const value = optional(env, 'JOB_SIGNING_SECRET');
  const secretId = optional(env, 'JOB_SIGNING_SECRET_ID');
  if (value === undefined && secretId === undefined) return undefined;

  const signingSecret: SigningSecretSource =
    value !== undefined
      ? { kind: 'value', value }
      : { kind: 'secrets-manager', secretId: secretId as string };
  return {
    signingSecret,
    thingArnPrefix: matching(env, 'THING_ARN_PREFIX', ARN_PREFIX),
    jobIdPrefix: matching(
      env,
      'JOB_ID_PREFIX',
      JOB_PREFIX,
      remedyConfigDefaults.jobIdPrefix,
    ),
    documentTtlHours: positiveInt(
      env,
      'JOB_DOCUMENT_TTL_HOURS',
      remedyConfigDefaults.documentTtlHours,
    ),
  };
}

function matching(env: Env, name: string, pattern: RegExp, fallback?: string) {
  const value =
    fallback === undefined ? required(env, name) : optional(env, name);
  const result = value ?? fallback ?? '';
  if (!pattern.test(result)) {
    throw new ConfigError(
      'invalid-variable',
      name,
      `${name} must match ${pattern}, got "${result}"`,
    );
  }
  return result;
}
