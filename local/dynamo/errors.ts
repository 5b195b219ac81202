/** Base error of the local DynamoDB stand-in; `code` is stable. */
export class LocalDynamoError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalDynamoError';
    this.code = code;
  }
}
