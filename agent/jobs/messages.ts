import * as z from 'zod';

/**
 * The payloads of the Jobs device MQTT API that the agent reads, as AWS
 * documents them (jobs-mqtt-api.html, "JobExecution data type" and the
 * "ErrorResponse"). Fields the agent does not use are not listed; zod drops
 * them, so a field AWS adds later changes nothing.
 */
export const JOB_EXECUTION_STATUSES = [
  'QUEUED',
  'IN_PROGRESS',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'REJECTED',
  'REMOVED',
  'CANCELED',
] as const;

export type JobExecutionStatus = (typeof JOB_EXECUTION_STATUSES)[number];

/** The statuses a device may set with UpdateJobExecution. */
export type DeviceStatus = 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'REJECTED';

export const TERMINAL_STATUSES: ReadonlySet<JobExecutionStatus> = new Set([
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'REJECTED',
  'REMOVED',
  'CANCELED',
]);

const statusSchema = z.enum(JOB_EXECUTION_STATUSES);
const statusDetailsSchema = z.record(z.string(), z.string());

export const jobExecutionSchema = z.object({
  jobId: z.string().min(1),
  thingName: z.string().optional(),
  /** Any JSON; the agent verifies it separately (signature, allow-list). */
  jobDocument: z.unknown().optional(),
  status: statusSchema,
  statusDetails: statusDetailsSchema.optional(),
  versionNumber: z.number().int(),
  executionNumber: z.number().int().optional(),
});

export type JobExecution = z.infer<typeof jobExecutionSchema>;

export const executionStateSchema = z.object({
  status: statusSchema,
  statusDetails: statusDetailsSchema.optional(),
  versionNumber: z.number().int(),
});

export type ExecutionState = z.infer<typeof executionStateSchema>;

/** start-next/accepted, $next/get/accepted and notify-next. */
export const nextExecutionSchema = z.object({
  /** Absent when the thing has no pending execution. */
  execution: jobExecutionSchema.optional(),
  clientToken: z.string().optional(),
});

/** {jobId}/update/accepted. */
export const updateAcceptedSchema = z.object({
  executionState: executionStateSchema.optional(),
  clientToken: z.string().optional(),
});

/** Every .../rejected: the ErrorResponse. */
export const errorResponseSchema = z.object({
  code: z.string(),
  message: z.string().optional(),
  clientToken: z.string().optional(),
  /** Present with VersionMismatch and InvalidStateTransition. */
  executionState: executionStateSchema.optional(),
});

export type ErrorResponse = z.infer<typeof errorResponseSchema>;

/** The body of an UpdateJobExecution request. */
export interface UpdateRequest {
  status: DeviceStatus;
  statusDetails?: Record<string, string>;
  expectedVersion?: number;
  executionNumber?: number;
  includeJobExecutionState?: boolean;
  stepTimeoutInMinutes?: number;
  clientToken: string;
}
