import type { AgentLogger } from '../logger.js';
import { JOBS_ERROR_CODES, JobsError } from './errors.js';
import type { JobsClient } from './jobs-client.js';
import {
  type DeviceStatus,
  type ExecutionState,
  TERMINAL_STATUSES,
} from './messages.js';

/**
 * Updates of one execution with optimistic versions. Every update carries
 * `expectedVersion`; the reply's state gives the next one. A conflict is
 * read, not fought:
 *
 * - VersionMismatch with the status we asked for: an earlier attempt whose
 *   reply was lost landed; take its version and stop.
 * - VersionMismatch while still IN_PROGRESS: take the version and send
 *   again (a terminal status must land; a progress note is then done).
 * - Any terminal status we did not set (CANCELED, TIMED_OUT, REMOVED),
 *   InvalidStateTransition or ResourceNotFound: the execution is over
 *   elsewhere; `jobs-execution-ended`, and the agent stops working on it.
 * - No reply, throttling or an internal error: try again after a pause.
 */
export const updateDefaults = {
  /** Tries per update before giving up until the next connection. */
  attempts: 4,
  /** Pause before a retry of a throttled or failed update, ms. */
  retryDelayMs: 2_000,
};

const RETRYABLE = new Set(['RequestThrottled', 'InternalError']);
const ENDED = new Set(['InvalidStateTransition', 'ResourceNotFound']);

export interface UpdateOptions {
  stepTimeoutInMinutes?: number;
}

export class ExecutionUpdates {
  readonly jobId: string;
  readonly executionNumber: number | undefined;
  #version: number;
  readonly #client: JobsClient;
  readonly #logger: AgentLogger;
  readonly #tuning: typeof updateDefaults;

  constructor(
    execution: {
      jobId: string;
      versionNumber: number;
      executionNumber?: number;
    },
    client: JobsClient,
    logger: AgentLogger,
    tuning: Partial<typeof updateDefaults> = {},
  ) {
    this.jobId = execution.jobId;
    this.executionNumber = execution.executionNumber;
    this.#version = execution.versionNumber;
    this.#client = client;
    this.#logger = logger;
    this.#tuning = { ...updateDefaults, ...tuning };
  }

  get version() {
    return this.#version;
  }

  async send(
    status: DeviceStatus,
    statusDetails: Record<string, string>,
    options: UpdateOptions = {},
  ): Promise<void> {
    let last: unknown;
    for (let attempt = 1; attempt <= this.#tuning.attempts; attempt++) {
      try {
        const state = await this.#client.update(this.jobId, {
          status,
          statusDetails,
          expectedVersion: this.#version,
          ...(this.executionNumber === undefined
            ? {}
            : { executionNumber: this.executionNumber }),
          ...options,
        });
        this.#version = state?.versionNumber ?? this.#version + 1;
        return;
      } catch (error) {
        last = error;
        if (this.#settled(error, status)) return;
        await pause(this.#tuning.retryDelayMs);
      }
    }
    throw last;
  }

  /** True when the update needs no retry; throws when it must not get one. */
  #settled(error: unknown, wanted: DeviceStatus): boolean {
    if (!(error instanceof JobsError)) throw error;
    if (error.code === JOBS_ERROR_CODES.responseTimeout) return false;
    if (error.code !== JOBS_ERROR_CODES.rejected) throw error;

    const code = error.response?.code ?? '';
    const state = error.response?.executionState;
    if (state) this.#version = state.versionNumber;
    this.#logger.info('job update conflict', {
      jobId: this.jobId,
      code,
      wanted,
      current: state?.status,
      versionNumber: state?.versionNumber,
    });

    if (state?.status === wanted) return true;
    if (isOver(state) || ENDED.has(code)) throw this.#ended(code, state);
    if (code === 'VersionMismatch' || RETRYABLE.has(code)) return false;
    throw error;
  }

  #ended(code: string, state: ExecutionState | undefined) {
    return new JobsError(
      JOBS_ERROR_CODES.executionEnded,
      `execution ${this.jobId} ended elsewhere: ${state?.status ?? code}`,
      { code, executionState: state },
    );
  }
}

function isOver(state: ExecutionState | undefined) {
  return state !== undefined && TERMINAL_STATUSES.has(state.status);
}

function pause(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
