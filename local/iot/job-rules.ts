import { IotControlError, JobsDeviceError } from './errors.js';
import type { CreateJobInput, UpdateInput } from './jobs-service.js';
import {
  type ExecutionRecord,
  type ExecutionStatus,
  isPending,
} from './model.js';

/** The rules IoT Jobs applies to requests, as its API reference states. */

/** Statuses a device may set with UpdateJobExecution. */
const DEVICE_STATUSES: readonly ExecutionStatus[] = [
  'IN_PROGRESS',
  'SUCCEEDED',
  'FAILED',
  'REJECTED',
];
const JOB_ID = /^[a-zA-Z0-9_-]{1,64}$/;
const THING_ARN = /^arn:[^:]+:iot:[^:]*:[^:]*:thing\/([a-zA-Z0-9:_-]{1,128})$/;

export function checkDeviceStatus(status: ExecutionStatus) {
  if (!DEVICE_STATUSES.includes(status)) {
    throw new JobsDeviceError(
      'InvalidRequest',
      `status must be one of ${DEVICE_STATUSES.join(', ')}`,
    );
  }
}

export function validateCreate(input: CreateJobInput): string[] {
  const invalid = (message: string) =>
    new IotControlError('invalid-request', message);
  if (!JOB_ID.test(input.jobId))
    throw invalid(`jobId ${input.jobId} is invalid`);
  if (input.targets.length === 0) throw invalid('targets must not be empty');
  if (input.document.length > 32 * 1024) {
    throw invalid('document is longer than 32 KB');
  }
  const minutes = input.inProgressTimeoutMinutes;
  if (minutes !== undefined && (minutes < 1 || minutes > 10_080)) {
    throw invalid('inProgressTimeoutInMinutes must be from 1 to 10080');
  }

  return input.targets.map((arn) => {
    const thing = THING_ARN.exec(arn)?.[1];
    // Known limitation: thing-group targets are not served; remedies always
    // target one thing. A group target would need the thing registry.
    if (!thing) throw invalid(`target ${arn} is not a thing ARN`);
    return thing;
  });
}

export function checkUpdate(e: ExecutionRecord, input: UpdateInput) {
  const state = {
    status: e.status,
    statusDetails: e.statusDetails,
    versionNumber: e.versionNumber,
  };
  if (
    input.expectedVersion !== undefined &&
    input.expectedVersion !== e.versionNumber
  ) {
    throw new JobsDeviceError(
      'VersionMismatch',
      `expected version ${input.expectedVersion}, current ${e.versionNumber}`,
      state,
    );
  }
  if (!isPending(e.status)) {
    throw new JobsDeviceError(
      'InvalidStateTransition',
      `the execution is ${e.status} and cannot become ${input.status}`,
      state,
    );
  }
}
