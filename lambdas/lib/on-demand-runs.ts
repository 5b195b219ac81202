import {
  DescribeJobExecutionCommand,
  type IoTClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-iot';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CheckKind } from '../../core/checks.js';
import { REMEDIES, type RemedyName } from '../../core/remedies.js';
import type { JobIssuer } from './job-issuer.js';
import { type JobSigningKey, signJobDocument } from './job-signing.js';
import type { RemedyConfig } from './remedy-config.js';

/**
 * On-demand maintenance: one signed IoT job per device and check, all under
 * one run that the API returns and follows. The RUN item is written before
 * any CreateJob, so a run always knows the jobs it may have made:
 *
 *   RUN#<runId> / RUN   runId, clientId, createdAt, createdBy, target,
 *                       action, jobs[{jobId, deviceId, remedy, check}],
 *                       skipped[{deviceId, reason}], expiresAt (TTL)
 *
 * Job ids are `<prefix>-r<runId>-<n>`, inside the prefix the IAM policy
 * allows; the job-events function finds no JOB item for them and leaves
 * them alone, as they belong to no finding.
 */
export const runDefaults = {
  /** A run item is kept this long, days. */
  retentionDays: 30,
} as const;

export interface PlannedJob {
  jobId: string;
  deviceId: string;
  remedy: RemedyName;
  params: Record<string, unknown>;
  /** The check whose report proves the job ran. */
  check: CheckKind | null;
}

export interface RunItem {
  pk: string;
  sk: 'RUN';
  runId: string;
  clientId: string;
  createdAt: string;
  createdBy: string;
  target: Record<string, string>;
  action: Record<string, unknown>;
  jobs: Omit<PlannedJob, 'params'>[];
  skipped: { deviceId: string; reason: string }[];
  expiresAt: number;
}

export interface JobExecutionState {
  status: string;
  statusDetails: Record<string, string> | null;
}

export const runKey = (runId: string) => ({
  pk: `RUN#${runId}`,
  sk: 'RUN' as const,
});

export function runJobId(prefix: string, runId: string, index: number) {
  return `${prefix}-r${runId}-${index}`;
}

export class OnDemandRuns {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #iot: IoTClient;
  readonly #issuer: JobIssuer;
  readonly #config: RemedyConfig;
  readonly #signingKey: () => Promise<JobSigningKey>;

  constructor(deps: {
    doc: DynamoDBDocumentClient;
    tableName: string;
    iot: IoTClient;
    issuer: JobIssuer;
    config: RemedyConfig;
    signingKey: () => Promise<JobSigningKey>;
  }) {
    this.#doc = deps.doc;
    this.#table = deps.tableName;
    this.#iot = deps.iot;
    this.#issuer = deps.issuer;
    this.#config = deps.config;
    this.#signingKey = deps.signingKey;
  }

  get jobIdPrefix() {
    return this.#config.jobIdPrefix;
  }

  /** Stores the run, then creates its jobs (the same ids on a repeat). */
  async start(run: RunItem, jobs: PlannedJob[], nowMs: number) {
    await this.#doc.send(new PutCommand({ TableName: this.#table, Item: run }));
    const key = await this.#signingKey();
    for (const job of jobs) {
      await this.#issuer.create({
        jobId: job.jobId,
        thingName: job.deviceId,
        document: signJobDocument(this.#document(job, nowMs), key),
        timeoutMinutes: REMEDIES[job.remedy].timeoutMinutes,
        description: `on-demand run ${run.runId}: ${job.remedy}`,
      });
    }
  }

  async get(runId: string): Promise<RunItem | undefined> {
    const { Item } = await this.#doc.send(
      new GetCommand({ TableName: this.#table, Key: runKey(runId) }),
    );
    return Item as RunItem | undefined;
  }

  /** The execution's state as IoT Jobs knows it now. */
  async execution(jobId: string, thingName: string) {
    try {
      const { execution } = await this.#iot.send(
        new DescribeJobExecutionCommand({ jobId, thingName }),
      );
      return {
        status: execution?.status ?? 'UNKNOWN',
        statusDetails: execution?.statusDetails?.detailsMap ?? null,
      } satisfies JobExecutionState;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
      // Planned, but CreateJob never got through (the run failed there).
      return { status: 'NOT_CREATED', statusDetails: null };
    }
  }

  #document(job: PlannedJob, nowMs: number) {
    const expires = nowMs + this.#config.documentTtlHours * 3600 * 1000;
    return {
      v: 1 as const,
      deviceId: job.deviceId,
      remedy: job.remedy,
      params: job.params,
      attempt: 1,
      ...(job.check ? { recheck: job.check } : {}),
      issuedAt: new Date(nowMs).toISOString(),
      expiresAt: new Date(expires).toISOString(),
    };
  }
}
