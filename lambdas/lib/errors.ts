/** Base error of the Lambdas; `code` is stable and safe to match on. */
export class UpkeepLambdaError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UpkeepLambdaError';
    this.code = code;
  }
}

/** A required environment variable is missing or has a bad value. */
export class ConfigError extends UpkeepLambdaError {
  readonly variable: string;

  constructor(
    code: 'missing-variable' | 'invalid-variable',
    variable: string,
    message: string,
  ) {
    super(code, message);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}
