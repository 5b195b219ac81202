import type { AbortCriterion, RolloutConfig } from './rollout.js';

/**
 * What the IoT Jobs stand-in keeps. Times are ms since the epoch here; the
 * wire formats convert (epoch seconds on both APIs).
 */
export const EXECUTION_STATUSES = [
  'QUEUED',
  'IN_PROGRESS',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'REJECTED',
  'REMOVED',
  'CANCELED',
] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export const PENDING: readonly ExecutionStatus[] = ['QUEUED', 'IN_PROGRESS'];

export function isPending(status: ExecutionStatus) {
  return PENDING.includes(status);
}

export interface RetryCriterion {
  failureType: 'FAILED' | 'TIMED_OUT' | 'ALL';
  numberOfRetries: number;
}

export interface JobRecord {
  jobId: string;
  jobArn: string;
  targets: string[];
  thingNames: string[];
  /** The document exactly as CreateJob received it. */
  document: string;
  description?: string;
  status: 'IN_PROGRESS' | 'CANCELED' | 'COMPLETED';
  createdAt: number;
  lastUpdatedAt: number;
  completedAt?: number;
  inProgressTimeoutMinutes?: number;
  retryCriteria: RetryCriterion[];
  reasonCode?: string;
  comment?: string;
  forceCanceled?: boolean;
  /** jobExecutionsRolloutConfig (rollout.ts). */
  rollout?: RolloutConfig;
  /** abortConfig.criteriaList (rollout.ts). */
  abortCriteria?: AbortCriterion[];
}

export interface ExecutionRecord {
  jobId: string;
  thingName: string;
  executionNumber: number;
  status: ExecutionStatus;
  statusDetails: Record<string, string>;
  queuedAt: number;
  startedAt?: number;
  lastUpdatedAt: number;
  versionNumber: number;
  /** 0 for the first execution, then one more per IoT retry. */
  retryAttempt: number;
  /** Retries used so far per failure type, carried to the next execution. */
  retriesUsed: { FAILED: number; TIMED_OUT: number };
  /** When the job's in-progress timeout ends it, ms. */
  inProgressDeadline?: number;
  /** When the device's step timeout ends it, ms. */
  stepDeadline?: number;
  forceCanceled?: boolean;
  /** From when the device is told of it, ms (the job's rollout rate). */
  releaseAt?: number;
}

export interface JobsState {
  jobs: JobRecord[];
  executions: ExecutionRecord[];
}

export const seconds = (ms: number | undefined) =>
  ms === undefined ? undefined : Math.floor(ms / 1000);
