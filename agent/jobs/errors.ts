import { AgentError } from '../errors.js';
import type { ErrorResponse } from './messages.js';

export const JOBS_ERROR_CODES = {
  /** No accepted or rejected reply came within the response timeout. */
  responseTimeout: 'jobs-response-timeout',
  /** The Jobs service answered on the /rejected topic. */
  rejected: 'jobs-request-rejected',
  /** The client was stopped with the request still open. */
  stopped: 'jobs-client-stopped',
  /** The execution was ended elsewhere (canceled, timed out, removed). */
  executionEnded: 'jobs-execution-ended',
  /** A reply that does not match the documented shape. */
  unreadable: 'jobs-reply-unreadable',
} as const;

export type JobsErrorCode =
  (typeof JOBS_ERROR_CODES)[keyof typeof JOBS_ERROR_CODES];

/** A Jobs request failed; `response` holds the service's ErrorResponse. */
export class JobsError extends AgentError {
  readonly response: ErrorResponse | undefined;

  constructor(
    code: JobsErrorCode,
    message: string,
    response?: ErrorResponse,
    options?: ErrorOptions,
  ) {
    super(code, message, options);
    this.name = 'JobsError';
    this.response = response;
  }
}

/**
 * Why the agent refuses a job document. The code goes into statusDetails
 * `reason` of the REJECTED update, so the cloud can tell a forged document
 * from a stale one without parsing text.
 */
export const REJECT_REASONS = [
  'document-not-object',
  'signature-missing',
  'signature-malformed',
  'signature-unknown-key',
  'signature-invalid',
  'document-invalid',
  'wrong-device',
  'expired',
  'not-yet-valid',
  /** Not on the allow-list (core/remedies.ts). */
  'unknown-remedy',
  /** The params fail the remedy's schema. */
  'bad-params',
  /** Listed, but this agent has no implementation for this platform. */
  'not-implemented',
  /** Schema-valid, but outside what this agent permits (a service). */
  'not-allowed',
  /** The check that would prove the remedy is missing on this agent. */
  'recheck-unavailable',
] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];

/** A document the agent refuses; nothing of it runs. */
export class JobRejection extends AgentError {
  readonly reason: RejectReason;

  constructor(reason: RejectReason, message: string) {
    super(reason, message);
    this.name = 'JobRejection';
    this.reason = reason;
  }
}
