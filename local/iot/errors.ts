import { LocalStackError } from '../errors.js';

/**
 * A control-plane error, with the restJson1 error type the AWS SDK maps to
 * its exception class and the HTTP status from @aws-sdk/client-iot's error
 * schemas (InvalidRequestException 400, ResourceNotFoundException 404,
 * ResourceAlreadyExistsException 409).
 */
export const CONTROL_ERRORS = {
  'invalid-request': { type: 'InvalidRequestException', status: 400 },
  'not-found': { type: 'ResourceNotFoundException', status: 404 },
  'already-exists': { type: 'ResourceAlreadyExistsException', status: 409 },
  'unsupported-operation': { type: 'InvalidRequestException', status: 400 },
} as const;

export type ControlErrorKind = keyof typeof CONTROL_ERRORS;

export class IotControlError extends LocalStackError {
  readonly kind: ControlErrorKind;
  /** Extra members of the error body (resourceId, resourceArn). */
  readonly fields: Record<string, string>;

  constructor(
    kind: ControlErrorKind,
    message: string,
    fields: Record<string, string> = {},
  ) {
    super(`iot-${kind}`, message);
    this.name = 'IotControlError';
    this.kind = kind;
    this.fields = fields;
  }
}

/**
 * The ErrorResponse codes of the Jobs device MQTT API
 * (https://docs.aws.amazon.com/iot/latest/developerguide/jobs-api.html).
 */
export type DeviceErrorCode =
  | 'InvalidTopic'
  | 'InvalidJson'
  | 'InvalidRequest'
  | 'InvalidStateTransition'
  | 'ResourceNotFound'
  | 'VersionMismatch'
  | 'InternalError'
  | 'TerminalStateReached';

export class JobsDeviceError extends LocalStackError {
  readonly errorCode: DeviceErrorCode;
  /** Sent with VersionMismatch and InvalidStateTransition. */
  readonly executionState: unknown;

  constructor(
    code: DeviceErrorCode,
    message: string,
    executionState?: unknown,
  ) {
    super(`jobs-${code}`, message);
    this.name = 'JobsDeviceError';
    this.errorCode = code;
    this.executionState = executionState;
  }
}
