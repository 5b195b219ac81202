/**
 * Errors of the SQS stand-in. Each kind carries what the AWS SDK needs to
 * rebuild the same exception class it would get from SQS: the JSON `__type`
 * shape name, the awsQuery compatibility code (the `x-amzn-query-error`
 * header) and the HTTP status, taken from @aws-sdk/client-sqs's error schemas.
 */
export const SQS_ERRORS = {
  'queue-does-not-exist': {
    type: 'QueueDoesNotExist',
    queryCode: 'AWS.SimpleQueueService.NonExistentQueue',
    status: 400,
  },
  'queue-name-exists': {
    type: 'QueueNameExists',
    queryCode: 'QueueAlreadyExists',
    status: 400,
  },
  'receipt-handle-invalid': {
    type: 'ReceiptHandleIsInvalid',
    queryCode: 'ReceiptHandleIsInvalid',
    status: 404,
  },
  'message-not-inflight': {
    type: 'MessageNotInflight',
    queryCode: 'AWS.SimpleQueueService.MessageNotInflight',
    status: 400,
  },
  'empty-batch': {
    type: 'EmptyBatchRequest',
    queryCode: 'AWS.SimpleQueueService.EmptyBatchRequest',
    status: 400,
  },
  'too-many-entries': {
    type: 'TooManyEntriesInBatchRequest',
    queryCode: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
    status: 400,
  },
  'batch-ids-not-distinct': {
    type: 'BatchEntryIdsNotDistinct',
    queryCode: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
    status: 400,
  },
  'invalid-batch-entry-id': {
    type: 'InvalidBatchEntryId',
    queryCode: 'AWS.SimpleQueueService.InvalidBatchEntryId',
    status: 400,
  },
  'invalid-attribute-value': {
    type: 'InvalidAttributeValue',
    queryCode: 'InvalidAttributeValue',
    status: 400,
  },
  'invalid-parameter': {
    type: 'InvalidParameterValueException',
    queryCode: 'InvalidParameterValue',
    status: 400,
  },
  'unsupported-operation': {
    type: 'UnsupportedOperation',
    queryCode: 'AWS.SimpleQueueService.UnsupportedOperation',
    status: 400,
  },
} as const;

export type SqsErrorCode = keyof typeof SQS_ERRORS;

export class SqsStandInError extends Error {
  readonly code: SqsErrorCode;

  constructor(code: SqsErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SqsStandInError';
    this.code = code;
  }

  get awsType() {
    return SQS_ERRORS[this.code].type;
  }

  get queryCode() {
    return SQS_ERRORS[this.code].queryCode;
  }

  get status() {
    return SQS_ERRORS[this.code].status;
  }
}
