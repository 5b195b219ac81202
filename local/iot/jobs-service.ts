import { EventEmitter } from 'node:events';
import { IotControlError, JobsDeviceError } from './errors.js';
import { checkDeviceStatus, checkUpdate, validateCreate } from './job-rules.js';
import { JobsStateFile } from './jobs-state.js';
import {
  type ExecutionRecord,
  type ExecutionStatus,
  isPending,
  type JobRecord,
  type RetryCriterion,
} from './model.js';
import {
  ABORT_REASON,
  type AbortCriterion,
  abortCriterion,
  isReleased,
  type RolloutConfig,
  releaseTimes,
} from './rollout.js';

export const jobsServiceDefaults = {
  region: 'us-east-1',
  accountId: '000000000000',
  /** Length of a "minute" of the job timeouts, ms; tests shorten it. */
  minuteMs: 60_000,
} as const;

export interface JobsServiceOptions {
  /** Where jobs.json lives; none keeps everything in memory. */
  stateDir?: string;
  region?: string;
  accountId?: string;
  now?: () => number;
  minuteMs?: number;
}

export interface CreateJobInput {
  jobId: string;
  targets: string[];
  document: string;
  description?: string;
  inProgressTimeoutMinutes?: number;
  retryCriteria?: RetryCriterion[];
  rollout?: RolloutConfig;
  abortCriteria?: AbortCriterion[];
}

export interface UpdateInput {
  status: ExecutionStatus;
  statusDetails?: Record<string, string>;
  expectedVersion?: number;
  executionNumber?: number;
  stepTimeoutInMinutes?: number;
}

/**
 * The IoT Jobs state machine behind both stand-in APIs. Events:
 *   `next-changed` {thingName, execution?}  the next pending one changed
 *   `pending-changed` {thingName}           the pending list changed
 *   `execution-final` {job, execution}      an execution ended
 *   `job-completed` {job}                   every target has ended
 * Each event is emitted after the state is saved.
 */
export class JobsService extends EventEmitter {
  readonly #state: JobsStateFile;
  readonly #now: () => number;
  readonly #minuteMs: number;
  readonly #arnPrefix: string;
  readonly #timers = new Map<string, NodeJS.Timeout>();

  constructor(options: JobsServiceOptions = {}) {
    super();
    const region = options.region ?? jobsServiceDefaults.region;
    const account = options.accountId ?? jobsServiceDefaults.accountId;
    this.#arnPrefix = `arn:aws:iot:${region}:${account}`;
    this.#state = new JobsStateFile(options.stateDir);
    this.#now = options.now ?? Date.now;
    this.#minuteMs = options.minuteMs ?? jobsServiceDefaults.minuteMs;
    for (const e of this.#state.executions) this.#arm(e);
  }

  thingArn(thingName: string) {
    return `${this.#arnPrefix}:thing/${thingName}`;
  }

  job(jobId: string): JobRecord {
    const job = this.#state.jobs.get(jobId);
    if (!job) throw new IotControlError('not-found', `Job ${jobId} not found`);
    return job;
  }

  createJob(input: CreateJobInput): JobRecord {
    const thingNames = validateCreate(input);
    const jobArn = `${this.#arnPrefix}:job/${input.jobId}`;
    if (this.#state.jobs.has(input.jobId)) {
      throw new IotControlError(
        'already-exists',
        `Job ${input.jobId} already exists`,
        { resourceId: input.jobId, resourceArn: jobArn },
      );
    }

    const now = this.#now();
    const job: JobRecord = {
      jobId: input.jobId,
      jobArn,
      targets: input.targets,
      thingNames,
      document: input.document,
      description: input.description,
      status: 'IN_PROGRESS',
      createdAt: now,
      lastUpdatedAt: now,
      inProgressTimeoutMinutes: input.inProgressTimeoutMinutes,
      retryCriteria: input.retryCriteria ?? [],
      ...(input.rollout ? { rollout: input.rollout } : {}),
      ...(input.abortCriteria ? { abortCriteria: input.abortCriteria } : {}),
    };
    const releases = releaseTimes(
      thingNames.length,
      now,
      input.rollout,
      this.#minuteMs,
    );
    this.#mutate(thingNames, () => {
      this.#state.jobs.set(job.jobId, job);
      thingNames.forEach((thingName, i) => {
        const queued = this.#queued(job.jobId, thingName, 1);
        const releaseAt = releases[i] ?? now;
        if (releaseAt > now) Object.assign(queued, { releaseAt });
        this.#state.executions.push(queued);
      });
    });
    this.#armReleases(thingNames, releases, now);
    return job;
  }

  /** Latest execution, or a given number (control-plane and device). */
  execution(jobId: string, thingName: string, executionNumber?: number) {
    return this.#state.execution(jobId, thingName, executionNumber);
  }

  /** The latest execution of each job on the thing. */
  executionsFor(thingName: string) {
    return this.#state.latestFor(thingName);
  }

  /** Per job: how many of its executions are in each status. */
  executionsOf(jobId: string) {
    const job = this.job(jobId);
    return job.thingNames.flatMap((t) => this.execution(jobId, t) ?? []);
  }

  /** Pending executions the rollout has released to the device. */
  pendingFor(thingName: string) {
    const now = this.#now();
    return this.#state.pendingFor(thingName).filter((e) => isReleased(e, now));
  }

  cancelJob(
    jobId: string,
    options: { force?: boolean; reasonCode?: string; comment?: string },
  ) {
    const job = this.job(jobId);
    if (job.status === 'COMPLETED') {
      throw new IotControlError(
        'invalid-request',
        `Job ${jobId} is completed and cannot be canceled`,
      );
    }
    this.#mutate(job.thingNames, () => {
      Object.assign(job, {
        status: 'CANCELED',
        lastUpdatedAt: this.#now(),
        reasonCode: options.reasonCode,
        comment: options.comment,
        forceCanceled: options.force === true,
      });
      for (const e of this.executionsOf(jobId)) {
        const cancel =
          e.status === 'QUEUED' ||
          (e.status === 'IN_PROGRESS' && options.force);
        if (cancel) this.#finish(e, 'CANCELED', options.force === true);
      }
    });
    return job;
  }

  /** StartNextPendingJobExecution; undefined when nothing is pending. */
  startNext(
    thingName: string,
    input: {
      statusDetails?: Record<string, string>;
      stepTimeoutInMinutes?: number;
    },
  ) {
    const next = this.pendingFor(thingName)[0];
    if (!next || next.status === 'IN_PROGRESS') return next;

    this.#mutate([thingName], () => {
      this.#start(next, input.statusDetails, input.stepTimeoutInMinutes);
    });
    return next;
  }

  /** UpdateJobExecution from the device. */
  update(thingName: string, jobId: string, input: UpdateInput) {
    checkDeviceStatus(input.status);
    const e = this.execution(jobId, thingName, input.executionNumber);
    if (!e) {
      throw new JobsDeviceError(
        'ResourceNotFound',
        `No job execution ${jobId} for ${thingName}`,
      );
    }
    checkUpdate(e, input);

    this.#mutate([thingName], () => this.#apply(e, input));
    return e;
  }

  close() {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  #apply(e: ExecutionRecord, input: UpdateInput) {
    if (e.status === 'QUEUED' && input.status === 'IN_PROGRESS') {
      this.#start(e, input.statusDetails, input.stepTimeoutInMinutes);
      return;
    }
    if (input.statusDetails) e.statusDetails = { ...input.statusDetails };
    if (input.status === 'IN_PROGRESS') {
      e.versionNumber++;
      e.lastUpdatedAt = this.#now();
      if (input.stepTimeoutInMinutes !== undefined) {
        e.stepDeadline = this.#deadline(input.stepTimeoutInMinutes);
        this.#arm(e);
      }
      return;
    }
    this.#finish(e, input.status);
  }

  #start(
    e: ExecutionRecord,
    details: Record<string, string> | undefined,
    stepTimeoutInMinutes: number | undefined,
  ) {
    const now = this.#now();
    const job = this.job(e.jobId);
    Object.assign(e, {
      status: 'IN_PROGRESS',
      startedAt: now,
      lastUpdatedAt: now,
      versionNumber: e.versionNumber + 1,
      statusDetails: details ? { ...details } : e.statusDetails,
      inProgressDeadline:
        job.inProgressTimeoutMinutes === undefined
          ? undefined
          : this.#deadline(job.inProgressTimeoutMinutes),
      stepDeadline:
        stepTimeoutInMinutes === undefined
          ? undefined
          : this.#deadline(stepTimeoutInMinutes),
    });
    this.#arm(e);
  }

  /**
   * A final status: the timer goes, IoT's retry (if the job's retry config
   * has one left for this failure) is queued before anyone hears of the
   * end, then the job completes when no target has anything pending.
   */
  #finish(e: ExecutionRecord, status: ExecutionStatus, force = false) {
    Object.assign(e, {
      status,
      lastUpdatedAt: this.#now(),
      versionNumber: e.versionNumber + 1,
      forceCanceled: force || undefined,
      inProgressDeadline: undefined,
      stepDeadline: undefined,
    });
    this.#disarm(e);
    const job = this.job(e.jobId);
    const retry = this.#retryOf(job, e);
    if (retry) this.#state.executions.push(retry);

    this.once('saved', () => {
      this.emit('execution-final', { job, execution: { ...e } });
    });
    this.#completeIfDone(job);
    this.#abortIfDue(job);
  }

  /** The job's abortConfig (rollout.ts): cancel what has not started. */
  #abortIfDue(job: JobRecord) {
    if (job.status !== 'IN_PROGRESS') return;
    const criterion = abortCriterion(job, this.executionsOf(job.jobId));
    if (!criterion) return;

    Object.assign(job, {
      status: 'CANCELED',
      lastUpdatedAt: this.#now(),
      reasonCode: ABORT_REASON,
      comment:
        `${criterion.failureType} reached ${criterion.thresholdPercentage}% ` +
        `of at least ${criterion.minNumberOfExecutedThings} executed things`,
    });
    for (const e of this.executionsOf(job.jobId)) {
      if (e.status === 'QUEUED') this.#finish(e, 'CANCELED');
    }
  }

  /** Tells devices of executions the rollout releases later. */
  #armReleases(thingNames: string[], releases: number[], now: number) {
    thingNames.forEach((thingName, i) => {
      const at = releases[i] ?? now;
      if (at <= now) return;
      const timer = setTimeout(() => {
        this.#timers.delete(`release#${thingName}#${at}`);
        const execution = this.pendingFor(thingName)[0];
        this.emit('next-changed', { thingName, execution });
        this.emit('pending-changed', { thingName });
      }, at - now);
      timer.unref();
      this.#timers.set(`release#${thingName}#${at}`, timer);
    });
  }

  #retryOf(job: JobRecord, e: ExecutionRecord) {
    if (job.status !== 'IN_PROGRESS') return undefined;
    if (e.status !== 'FAILED' && e.status !== 'TIMED_OUT') return undefined;

    const type = e.status;
    const criterion =
      job.retryCriteria.find((c) => c.failureType === type) ??
      job.retryCriteria.find((c) => c.failureType === 'ALL');
    const used = e.retriesUsed[type];
    if (!criterion || used >= criterion.numberOfRetries) return undefined;

    const retry = this.#queued(e.jobId, e.thingName, e.executionNumber + 1);
    retry.retryAttempt = e.retryAttempt + 1;
    retry.retriesUsed = { ...e.retriesUsed, [type]: used + 1 };
    return retry;
  }

  #completeIfDone(job: JobRecord) {
    const pending = this.executionsOf(job.jobId).some((e) =>
      isPending(e.status),
    );
    if (pending || job.status !== 'IN_PROGRESS') return;

    job.status = 'COMPLETED';
    job.completedAt = this.#now();
    job.lastUpdatedAt = job.completedAt;
    this.once('saved', () => this.emit('job-completed', { job }));
  }

  #queued(jobId: string, thingName: string, executionNumber: number) {
    const now = this.#now();
    return {
      jobId,
      thingName,
      executionNumber,
      status: 'QUEUED',
      statusDetails: {},
      queuedAt: now,
      lastUpdatedAt: now,
      versionNumber: 1,
      retryAttempt: 0,
      retriesUsed: { FAILED: 0, TIMED_OUT: 0 },
    } satisfies ExecutionRecord;
  }

  /**
   * Runs a change, saves, then tells listeners what changed for each
   * thing: its next pending execution, its pending list.
   */
  #mutate(thingNames: string[], change: () => void) {
    const before = new Map(thingNames.map((t) => [t, this.#snapshot(t)]));
    change();
    this.#state.save();
    this.emit('saved');

    for (const [thingName, was] of before) {
      const now = this.#snapshot(thingName);
      if (now.next !== was.next) {
        const execution = this.pendingFor(thingName)[0];
        this.emit('next-changed', { thingName, execution });
      }
      if (now.pending !== was.pending) {
        this.emit('pending-changed', { thingName });
      }
    }
  }

  #snapshot(thingName: string) {
    const pending = this.pendingFor(thingName);
    const key = (e: ExecutionRecord) => `${e.jobId}#${e.executionNumber}`;
    return {
      next: pending[0] ? key(pending[0]) : '',
      pending: pending.map((e) => `${key(e)}:${e.status}`).join(','),
    };
  }

  #deadline(minutes: number) {
    return this.#now() + minutes * this.#minuteMs;
  }

  #arm(e: ExecutionRecord) {
    this.#disarm(e);
    if (e.status !== 'IN_PROGRESS') return;
    const deadlines = [e.inProgressDeadline, e.stepDeadline].filter(
      (d): d is number => d !== undefined,
    );
    if (deadlines.length === 0) return;

    const wait = Math.max(0, Math.min(...deadlines) - this.#now());
    const timer = setTimeout(() => {
      this.#timers.delete(timerKey(e));
      if (e.status !== 'IN_PROGRESS') return;
      this.#mutate([e.thingName], () => this.#finish(e, 'TIMED_OUT'));
    }, wait);
    timer.unref();
    this.#timers.set(timerKey(e), timer);
  }

  #disarm(e: ExecutionRecord) {
    clearTimeout(this.#timers.get(timerKey(e)));
    this.#timers.delete(timerKey(e));
  }
}

const timerKey = (e: ExecutionRecord) =>
  `${e.jobId}#${e.thingName}#${e.executionNumber}`;
