import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { ConfigError } from './errors.js';
import {
  readWebhookSettings,
  type WebhookSettings,
} from './events/webhook-settings.js';
import { type RemedyConfig, readRemedyConfig } from './remedy-config.js';

/**
 * Configuration of the Lambdas, read from the environment once, at the edge
 * (handler.ts). Local mode passes its own env-shaped record instead of
 * process.env, so that AWS and local differ only in these values.
 *
 * Variables:
 *   TABLE_NAME                  the single table (required)
 *   DEAD_LETTER_QUEUE_URL       ingest only: where rejects go (required)
 *   AUTO_REGISTER_CLIENT_ID     ingest only: register unknown devices under
 *                               this client instead of rejecting them
 *   REPORT_RETENTION_DAYS       ingest only: REPORT item TTL (default 90)
 *   AWS_REGION                  set by Lambda (default us-east-1)
 *   AWS_ENDPOINT_URL_DYNAMODB   endpoint override (local mode)
 *   AWS_ENDPOINT_URL_SQS        endpoint override (local mode)
 *   AWS_ENDPOINT_URL_IOT        endpoint override (local mode)
 *
 * Remedies (ingest and job-events; remedy-config.ts): JOB_SIGNING_SECRET_ID
 * or JOB_SIGNING_SECRET, THING_ARN_PREFIX, JOB_ID_PREFIX,
 * JOB_DOCUMENT_TTL_HOURS.
 *   POWERTOOLS_SERVICE_NAME     log `service` (default upkeep-<function>)
 *   POWERTOOLS_LOG_LEVEL        DEBUG | INFO | WARN | ERROR | SILENT
 */
export const configDefaults = {
  region: 'us-east-1',
  logLevel: 'INFO' as LogLevel,
  /** REPORT items expire after this many days. */
  reportRetentionDays: 90,
} as const;

export type Env = Record<string, string | undefined>;

export interface CommonConfig {
  tableName: string;
  region: string;
  endpoints: { dynamodb?: string; sqs?: string; iot?: string };
  serviceName: string;
  logLevel: LogLevel;
}

export interface IngestConfig extends CommonConfig {
  deadLetterQueueUrl: string;
  /** Remedies for new findings; absent without a signing secret. */
  remedies?: RemedyConfig;
  autoRegisterClientId?: string;
  reportRetentionDays: number;
}

export interface ApiConfig extends CommonConfig {
  /** On-demand runs (signed jobs); absent without a signing secret. */
  remedies?: RemedyConfig;
  /** Webhook subscriptions (docs/events.md); absent without a key secret. */
  webhooks?: WebhookSettings;
}

const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT', 'CRITICAL'];

export function readIngestConfig(env: Env = process.env): IngestConfig {
  return {
    ...readCommon(env, 'upkeep-ingest'),
    deadLetterQueueUrl: required(env, 'DEAD_LETTER_QUEUE_URL'),
    remedies: readRemedyConfig(env),
    autoRegisterClientId: optional(env, 'AUTO_REGISTER_CLIENT_ID'),
    reportRetentionDays: positiveInt(
      env,
      'REPORT_RETENTION_DAYS',
      configDefaults.reportRetentionDays,
    ),
  };
}

/** The job-events function: the table and everything remedies need. */
export interface JobEventsConfig extends CommonConfig {
  remedies: RemedyConfig;
  /** Where events that are not job execution events go. */
  deadLetterQueueUrl: string;
}

export function readJobEventsConfig(env: Env = process.env): JobEventsConfig {
  const remedies = readRemedyConfig(env);
  if (!remedies) {
    throw new ConfigError(
      'missing-variable',
      'JOB_SIGNING_SECRET_ID',
      'environment variable JOB_SIGNING_SECRET_ID (or JOB_SIGNING_SECRET) ' +
        'is required',
    );
  }
  return {
    ...readCommon(env, 'upkeep-job-events'),
    remedies,
    deadLetterQueueUrl: required(env, 'DEAD_LETTER_QUEUE_URL'),
  };
}

export function readApiConfig(env: Env = process.env): ApiConfig {
  const remedies = readRemedyConfig(env);
  const webhooks = readWebhookSettings(env);
  return {
    ...readCommon(env, 'upkeep-api'),
    ...(remedies ? { remedies } : {}),
    ...(webhooks ? { webhooks } : {}),
  };
}

export function readCommon(env: Env, serviceName: string): CommonConfig {
  const logLevel = (
    optional(env, 'POWERTOOLS_LOG_LEVEL') ?? configDefaults.logLevel
  ).toUpperCase();
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(
      'invalid-variable',
      'POWERTOOLS_LOG_LEVEL',
      `POWERTOOLS_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, ` +
        `got "${logLevel}"`,
    );
  }

  return {
    tableName: required(env, 'TABLE_NAME'),
    region: optional(env, 'AWS_REGION') ?? configDefaults.region,
    endpoints: {
      dynamodb: optional(env, 'AWS_ENDPOINT_URL_DYNAMODB'),
      sqs: optional(env, 'AWS_ENDPOINT_URL_SQS'),
      iot: optional(env, 'AWS_ENDPOINT_URL_IOT'),
    },
    serviceName: optional(env, 'POWERTOOLS_SERVICE_NAME') ?? serviceName,
    logLevel: logLevel as LogLevel,
  };
}

export function optional(env: Env, name: string) {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function required(env: Env, name: string) {
  const value = optional(env, name);
  if (value === undefined) {
    throw new ConfigError(
      'missing-variable',
      name,
      `environment variable ${name} is required`,
    );
  }
  return value;
}

export function positiveInt(env: Env, name: string, fallback: number) {
  const text = optional(env, name);
  if (text === undefined) return fallback;

  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigError(
      'invalid-variable',
      name,
      `${name} must be a positive integer, got "${text}"`,
    );
  }
  return value;
}
