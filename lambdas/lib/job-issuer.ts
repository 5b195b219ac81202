import type { IoTClient } from '@aws-sdk/client-iot';
import type { JobDocument } from '../../core/schemas/job.js';
import { UpkeepLambdaError } from './errors.js';
import { type ClientSource, clientOf } from './lazy-client.js';

/** Loaded with the first job, not at cold start (ingest seldom sends one). */
const iotPackage = () => import('@aws-sdk/client-iot');

/**
 * Sends remedy jobs with the IoT control plane. A job targets one thing,
 * times out if the device keeps it IN_PROGRESS too long, and IoT retries a
 * FAILED or TIMED_OUT execution on its own before the chain moves on
 * (https://docs.aws.amazon.com/iot/latest/apireference/API_CreateJob.html).
 */
export const jobIssuerDefaults = {
  /**
   * IoT runs a FAILED execution again this often. None: the agent reports
   * FAILED when the remedy failed or the finding persists, and running the
   * same step again would repeat what did not help; the chain moves on.
   */
  failedRetries: 0,
  /** ... and a TIMED_OUT one: a laptop that slept mid-job gets another go. */
  timedOutRetries: 1,
} as const;

export class JobIssueError extends UpkeepLambdaError {
  readonly jobId: string;

  constructor(jobId: string, message: string, options?: ErrorOptions) {
    super('job-issue-failed', message, options);
    this.name = 'JobIssueError';
    this.jobId = jobId;
  }
}

export interface IssueJobInput {
  jobId: string;
  thingName: string;
  document: JobDocument;
  /** timeoutConfig.inProgressTimeoutInMinutes, 1..10080. */
  timeoutMinutes: number;
  description: string;
}

export class JobIssuer {
  readonly #iot: ClientSource<IoTClient>;
  readonly #thingArnPrefix: string;

  constructor(iot: ClientSource<IoTClient>, thingArnPrefix: string) {
    this.#iot = iot;
    this.#thingArnPrefix = thingArnPrefix;
  }

  thingArn(thingName: string) {
    return `${this.#thingArnPrefix}${thingName}`;
  }

  /** Creates the job; false when a job with this id exists already. */
  async create(input: IssueJobInput): Promise<boolean> {
    const { ResourceAlreadyExistsException } = await iotPackage();
    try {
      const iot = await clientOf(this.#iot);
      await iot.send(await this.#createCommand(input));
      return true;
    } catch (error) {
      if (error instanceof ResourceAlreadyExistsException) return false;
      throw new JobIssueError(
        input.jobId,
        `CreateJob ${input.jobId} failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  /**
   * Whether IoT will run the job on the thing again: its latest execution
   * is still QUEUED or IN_PROGRESS (a retry made after a final status).
   */
  async retryPending(jobId: string, thingName: string): Promise<boolean> {
    const { DescribeJobExecutionCommand } = await iotPackage();
    const iot = await clientOf(this.#iot);
    const { execution } = await iot.send(
      new DescribeJobExecutionCommand({ jobId, thingName }),
    );
    return (
      execution?.status === 'QUEUED' || execution?.status === 'IN_PROGRESS'
    );
  }

  async #createCommand(input: IssueJobInput) {
    const { CreateJobCommand } = await iotPackage();
    return new CreateJobCommand({
      jobId: input.jobId,
      targets: [this.thingArn(input.thingName)],
      targetSelection: 'SNAPSHOT',
      document: JSON.stringify(input.document),
      description: input.description.slice(0, 2028),
      timeoutConfig: { inProgressTimeoutInMinutes: input.timeoutMinutes },
      jobExecutionsRetryConfig: {
        criteriaList: [
          {
            failureType: 'FAILED',
            numberOfRetries: jobIssuerDefaults.failedRetries,
          },
          {
            failureType: 'TIMED_OUT',
            numberOfRetries: jobIssuerDefaults.timedOutRetries,
          },
        ],
      },
    });
  }
}
