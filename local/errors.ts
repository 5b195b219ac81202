/**
 * Errors of the local stand-in. Each carries a stable `code` so that the
 * command line and tests can tell a taken port from a bad flag without
 * parsing messages.
 */
export class LocalStackError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalStackError';
    this.code = code;
  }
}

/** A flag, environment variable or option has a value we cannot use. */
export class LocalConfigError extends LocalStackError {
  constructor(message: string, options?: ErrorOptions) {
    super('invalid-config', message, options);
    this.name = 'LocalConfigError';
  }
}

/** A server could not bind its port (taken, or not allowed). */
export class ListenError extends LocalStackError {
  readonly port: number;

  constructor(port: number, message: string, options?: ErrorOptions) {
    super('listen-failed', message, options);
    this.name = 'ListenError';
    this.port = port;
  }
}
