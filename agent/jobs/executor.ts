import {
  type CheckKind,
  REMEDIES,
  type Report,
  type Trigger,
} from '../../core/index.js';
import { isoTime } from '../../core/iso-time.js';
import type { AgentLogger } from '../logger.js';
import type { RemedyOutcome } from '../remedies/types.js';
import { JOBS_ERROR_CODES, JobRejection, JobsError } from './errors.js';
import type {
  CurrentExecution,
  ExecutionStore,
  FinalStatus,
} from './execution-store.js';
import { ExecutionUpdates } from './execution-updates.js';
import {
  finalStatus,
  interruptedStatus,
  type Proof,
  rejectedStatus,
} from './final-status.js';
import type { JobsClient } from './jobs-client.js';
import type { JobExecution } from './messages.js';
import { statusDetails } from './status-details.js';
import type { VerifiedJob } from './verify.js';

/**
 * Runs remedy jobs one at a time, as the Jobs device API expects:
 *
 *   connect or notify-next ─▶ (resume the saved execution) ─▶ start-next
 *     ─▶ verify ─▶ IN_PROGRESS running ─▶ remedy ─▶ IN_PROGRESS rechecking
 *     ─▶ re-check (trigger 'job') ─▶ SUCCEEDED | FAILED ─▶ start-next …
 *   a refused document ─▶ REJECTED with the reason; nothing runs
 *
 * A connect or a notification while busy only asks for one more round
 * once the current one ends. Errors of the link (no reply, stopped) end
 * the round; the next connect starts another.
 */
export interface JobExecutorOptions {
  client: JobsClient;
  store: ExecutionStore;
  /** Verifies a document; `checkTimes` is false when resuming. */
  verify(
    document: unknown,
    checkTimes: boolean,
  ): VerifiedJob | Promise<VerifiedJob>;
  runRemedy(job: VerifiedJob): Promise<RemedyOutcome>;
  runCheck(kind: CheckKind, trigger: Trigger): Promise<Report>;
  logger: AgentLogger;
  now: () => Date;
  tuning?: Partial<typeof executorDefaults>;
}

export const executorDefaults = {
  /** Step timeout set by start-next: time to verify and say IN_PROGRESS. */
  startStepMinutes: 10,
  /** Step timeout while the re-check runs, min. */
  recheckStepMinutes: 120,
  /** Tries per update (see ExecutionUpdates). */
  updateAttempts: 4,
  /** Pause between update tries, ms. */
  updateRetryDelayMs: 2_000,
};

export class JobExecutor {
  readonly #o: JobExecutorOptions;
  readonly #tuning: typeof executorDefaults;
  #round: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(options: JobExecutorOptions) {
    this.#o = options;
    this.#tuning = { ...executorDefaults, ...options.tuning };
  }

  /** On every connection: resume or ask for the next execution. */
  connected() {
    this.#kick();
  }

  /** notify-next named an execution: start it if idle. */
  notified(execution: JobExecution) {
    this.#o.logger.debug('job notified', { jobId: execution.jobId });
    this.#kick();
  }

  /** Resolves once the round in progress, if any, has ended. */
  async idle() {
    while (this.#round) await this.#round;
  }

  /** No new round starts; the one in progress ends at its next request. */
  stop() {
    this.#stopped = true;
  }

  #kick() {
    if (this.#stopped) return;
    if (this.#round) {
      this.#again = true;
      return;
    }
    this.#round = this.#rounds().finally(() => {
      this.#round = undefined;
    });
  }

  async #rounds() {
    do {
      this.#again = false;
      await this.#runRound().catch((error: unknown) => {
        // No reply or a stopped client: the next connection tries again.
        this.#o.logger.warn('jobs round ended early', { error });
      });
    } while (this.#again && !this.#stopped);
  }

  async #runRound() {
    const saved = this.#o.store.current();
    if (saved) await this.#resume(saved);

    const seen = new Set<string>();
    let next = await this.#startNext();
    while (next && !this.#stopped) {
      if (seen.has(next.jobId)) {
        this.#o.logger.warn('job offered again in one round, left for later', {
          jobId: next.jobId,
        });
        return;
      }
      seen.add(next.jobId);
      await this.#execute(next, undefined);
      next = await this.#startNext();
    }
  }

  #startNext() {
    if (this.#stopped) return Promise.resolve(undefined);
    return this.#o.client.startNext(this.#tuning.startStepMinutes);
  }

  /** After a restart: is the saved execution still ours to finish? */
  async #resume(saved: CurrentExecution) {
    const next = await this.#o.client.describeNext();
    const ours = next?.jobId === saved.jobId && next.status === 'IN_PROGRESS';
    if (!ours || !next) {
      this.#o.logger.info('saved job execution ended while away', {
        jobId: saved.jobId,
        step: saved.step,
      });
      await this.#o.store.clear();
      return;
    }
    this.#o.logger.info('resuming job execution', {
      jobId: saved.jobId,
      step: saved.step,
    });
    await this.#execute(next, saved);
  }

  async #execute(execution: JobExecution, saved: CurrentExecution | undefined) {
    const updates = new ExecutionUpdates(
      execution,
      this.#o.client,
      this.#o.logger,
      {
        attempts: this.#tuning.updateAttempts,
        retryDelayMs: this.#tuning.updateRetryDelayMs,
      },
    );
    try {
      await this.#steps(execution, saved, updates);
    } catch (error) {
      if (!(error instanceof JobsError)) throw error;
      if (error.code !== JOBS_ERROR_CODES.executionEnded) throw error;
      this.#o.logger.warn('job execution ended elsewhere', {
        jobId: execution.jobId,
        error,
      });
      await this.#o.store.clear();
    }
  }

  async #steps(
    execution: JobExecution,
    saved: CurrentExecution | undefined,
    updates: ExecutionUpdates,
  ) {
    if (saved?.step === 'reporting' && saved.final) {
      return this.#report(updates, saved, saved.final);
    }

    let job: VerifiedJob;
    try {
      job = await this.#o.verify(execution.jobDocument, !saved);
    } catch (error) {
      if (!(error instanceof JobRejection)) throw error;
      return this.#reject(execution, updates, error);
    }

    const record = saved ?? this.#record(execution, job);
    if (saved?.step === 'running' && !job.remedy.idempotent) {
      return this.#report(updates, record, interruptedStatus(job, 'running'));
    }
    const outcome =
      saved?.step === 'rechecking' && saved.remedyOutcome
        ? saved.remedyOutcome
        : await this.#runRemedy(job, record, updates);
    const proof = await this.#recheck(job, updates, outcome);
    return this.#report(updates, record, finalStatus(job, proof));
  }

  #record(execution: JobExecution, job: VerifiedJob): CurrentExecution {
    return {
      jobId: execution.jobId,
      executionNumber: execution.executionNumber,
      versionNumber: execution.versionNumber,
      step: 'running',
      remedy: job.remedy.name,
      startedAt: isoTime(this.#o.now()),
    };
  }

  async #reject(
    execution: JobExecution,
    updates: ExecutionUpdates,
    rejection: JobRejection,
  ) {
    this.#o.logger.warn('job document rejected', {
      jobId: execution.jobId,
      reason: rejection.reason,
      message: rejection.message,
    });
    const record: CurrentExecution = {
      jobId: execution.jobId,
      executionNumber: execution.executionNumber,
      versionNumber: execution.versionNumber,
      step: 'reporting',
      startedAt: isoTime(this.#o.now()),
    };
    return this.#report(updates, record, rejectedStatus(rejection));
  }

  async #runRemedy(
    job: VerifiedJob,
    record: CurrentExecution,
    updates: ExecutionUpdates,
  ): Promise<RemedyOutcome> {
    await this.#o.store.save({ ...record, step: 'running' });
    await updates.send('IN_PROGRESS', this.#progress(job, 'running'), {
      stepTimeoutInMinutes: runningStepMinutes(job),
    });

    const fields = { jobId: record.jobId, remedy: job.remedy.name };
    this.#o.logger.info('remedy started', fields);
    const outcome = await this.#o.runRemedy(job).catch(
      (error: Error): RemedyOutcome => ({
        ok: false,
        summary: `the remedy threw: ${error.message}`,
      }),
    );
    this.#o.logger.info('remedy finished', {
      ...fields,
      ok: outcome.ok,
      summary: outcome.summary,
    });
    await this.#o.store.save({
      ...record,
      versionNumber: updates.version,
      step: 'rechecking',
      remedyOutcome: outcome,
    });
    return outcome;
  }

  async #recheck(
    job: VerifiedJob,
    updates: ExecutionUpdates,
    outcome: RemedyOutcome,
  ): Promise<Proof> {
    await updates.send('IN_PROGRESS', this.#progress(job, 'rechecking'), {
      stepTimeoutInMinutes: this.#tuning.recheckStepMinutes,
    });
    try {
      const report = await this.#o.runCheck(job.recheck, 'job');
      return { outcome, report };
    } catch (error) {
      return { outcome, recheckError: error as Error };
    }
  }

  #progress(job: VerifiedJob, step: 'running' | 'rechecking') {
    return statusDetails({
      step,
      remedy: job.remedy.name,
      attempt: job.document.attempt,
      check: job.recheck,
    });
  }

  async #report(
    updates: ExecutionUpdates,
    record: CurrentExecution,
    final: FinalStatus,
  ) {
    await this.#o.store.save({
      ...record,
      versionNumber: updates.version,
      step: 'reporting',
      final,
    });
    await updates.send(final.status, final.statusDetails);
    this.#o.logger.info('job execution finished', {
      jobId: updates.jobId,
      status: final.status,
      reason: final.statusDetails.reason,
      reportId: final.statusDetails.reportId,
    });
    await this.#o.store.clear();
  }
}

/** IoT Jobs takes step timeouts of 1 to 10080 minutes. */
const MAX_STEP_MINUTES = 10_080;

/** The remedy's own limit plus a margin to send the next update. */
function runningStepMinutes(job: VerifiedJob) {
  const minutes = REMEDIES[job.remedy.name].timeoutMinutes;
  return Math.min(
    minutes + executorDefaults.startStepMinutes,
    MAX_STEP_MINUTES,
  );
}
