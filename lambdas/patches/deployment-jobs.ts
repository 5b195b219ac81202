import { createHash } from 'node:crypto';
import {
  CreateJobCommand,
  DescribeJobCommand,
  type IoTClient,
  ResourceAlreadyExistsException,
} from '@aws-sdk/client-iot';
import type { DeploymentGroup } from '../../core/patches/deployment.js';
import {
  EMPTY_COUNTS,
  jobRolloutConfig,
  type RingCounts,
} from '../../core/patches/rings.js';
import type { PatchRolloutPolicy } from '../../core/policy.js';
import { REMEDIES } from '../../core/remedies.js';
import type { UnsignedJobDocument } from '../../core/schemas/job.js';
import { JobIssueError } from '../lib/job-issuer.js';
import { type JobSigningKey, signJobDocument } from '../lib/job-signing.js';

/**
 * The IoT jobs of a deployment ring. One job per group of at most
 * `MAX_TARGETS` devices that need the same updates in the same window
 * (core/patches/deployment.ts); its document lists them, signed, so each
 * agent checks it is one of them, and carries the rollout rate and the
 * abort config on the failure percentage (core/patches/rings.ts).
 */
export const MAX_TARGETS = 100;

export interface RingJobInput {
  clientId: string;
  wave: string;
  group: DeploymentGroup;
  rollout: PatchRolloutPolicy;
  nowMs: number;
}

export interface RingJob {
  jobId: string;
  thingNames: string[];
  updates: string[];
  created: boolean;
}

export interface DeploymentJobsOptions {
  /** `arn:<partition>:iot:<region>:<account>:thing/` */
  thingArnPrefix: string;
  jobIdPrefix: string;
  /** A job document expires this long after it was issued. */
  documentTtlHours: number;
  signingKey: () => Promise<JobSigningKey>;
}

export class DeploymentJobs {
  readonly #iot: IoTClient;
  readonly #o: DeploymentJobsOptions;

  constructor(iot: IoTClient, options: DeploymentJobsOptions) {
    this.#iot = iot;
    this.#o = options;
  }

  /** Creates the group's jobs; an id that exists already is kept. */
  async create(input: RingJobInput): Promise<RingJob[]> {
    const jobs: RingJob[] = [];
    const { thingNames } = input.group;
    for (let i = 0; i < thingNames.length; i += MAX_TARGETS) {
      const chunk = thingNames.slice(i, i + MAX_TARGETS);
      const jobId = this.jobId(input, i / MAX_TARGETS);
      const created = await this.#createOne(jobId, chunk, input);
      jobs.push({
        jobId,
        thingNames: chunk,
        updates: input.group.updates,
        created,
      });
    }
    return jobs;
  }

  /** Execution counts of a job; `aborted` when IoT canceled it. */
  async counts(
    jobId: string,
  ): Promise<{ counts: RingCounts; aborted: boolean }> {
    const { job } = await this.#iot.send(new DescribeJobCommand({ jobId }));
    const d = job?.jobProcessDetails ?? {};
    return {
      aborted: job?.status === 'CANCELED',
      counts: {
        ...EMPTY_COUNTS,
        succeeded: d.numberOfSucceededThings ?? 0,
        failed: d.numberOfFailedThings ?? 0,
        timedOut: d.numberOfTimedOutThings ?? 0,
        rejected: d.numberOfRejectedThings ?? 0,
        canceled: d.numberOfCanceledThings ?? 0,
        removed: d.numberOfRemovedThings ?? 0,
        queued: d.numberOfQueuedThings ?? 0,
        inProgress: d.numberOfInProgressThings ?? 0,
      },
    };
  }

  /** `<prefix>-patch-<24 hex of client, wave, group, chunk>`. */
  jobId(
    input: Pick<RingJobInput, 'clientId' | 'wave' | 'group'>,
    chunk: number,
  ) {
    const hash = createHash('sha256')
      .update(`${input.clientId}\u0000${input.wave}\u0000${input.group.key}`)
      .update(`\u0000${chunk}`)
      .digest('hex')
      .slice(0, 24);
    return `${this.#o.jobIdPrefix}-patch-${hash}`;
  }

  async #createOne(jobId: string, thingNames: string[], input: RingJobInput) {
    const document = signJobDocument(
      this.#document(jobId, thingNames, input),
      await this.#o.signingKey(),
    );
    const { timeoutMinutes } = REMEDIES['install-updates'];
    try {
      await this.#iot.send(
        new CreateJobCommand({
          jobId,
          targets: thingNames.map((t) => `${this.#o.thingArnPrefix}${t}`),
          targetSelection: 'SNAPSHOT',
          document: JSON.stringify(document),
          description:
            `Patch ${input.wave} ${input.group.ring} ring: ` +
            input.group.updates.join(', ').slice(0, 1900),
          timeoutConfig: { inProgressTimeoutInMinutes: timeoutMinutes },
          // A laptop that slept through the install gets one more go.
          jobExecutionsRetryConfig: {
            criteriaList: [{ failureType: 'TIMED_OUT', numberOfRetries: 1 }],
          },
          ...jobRolloutConfig(input.rollout, thingNames.length),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ResourceAlreadyExistsException) return false;
      throw new JobIssueError(
        jobId,
        `CreateJob ${jobId} failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  #document(
    jobId: string,
    thingNames: string[],
    input: RingJobInput,
  ): UnsignedJobDocument {
    const expires = input.nowMs + this.#o.documentTtlHours * 3_600_000;
    return {
      v: 1,
      deviceId: jobId,
      devices: thingNames,
      remedy: 'install-updates',
      params: {
        updates: input.group.updates,
        windowEndsAt: new Date(input.group.windowEndsAtMs).toISOString(),
        wave: input.wave,
      },
      attempt: 1,
      recheck: 'patch-assessment',
      issuedAt: new Date(input.nowMs).toISOString(),
      expiresAt: new Date(expires).toISOString(),
    };
  }
}
