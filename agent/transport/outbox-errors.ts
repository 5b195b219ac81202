import { AgentError } from '../errors.js';

export const OUTBOX_ERROR_CODES = {
  /** The journal could not be read, written or flushed. */
  io: 'outbox-io',
  /** Full, and nothing could be dropped under the overflow policy. */
  full: 'outbox-full',
  /** Dropped to make room for a newer message of its group. */
  dropped: 'outbox-dropped',
  /** The outbox was closed. */
  closed: 'outbox-closed',
  /**
   * Set aside into the quarantine file: the broker closed the connection
   * right after it each time it was sent (a publish its policy refuses).
   */
  setAside: 'outbox-set-aside',
  /** A newer request to the same topic replaced it before it was sent. */
  superseded: 'outbox-superseded',
} as const;

export type OutboxErrorCode =
  (typeof OUTBOX_ERROR_CODES)[keyof typeof OUTBOX_ERROR_CODES];

/** The durable outbox could not take, keep or deliver a message. */
export class OutboxError extends AgentError {
  constructor(code: OutboxErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'OutboxError';
  }
}
