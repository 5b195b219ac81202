/**
 * Errors of the endpoint agent. Each carries a stable `code` so that the
 * command line, the logs and the tests can tell a bad flag from a lost broker
 * without parsing messages.
 */
export class AgentError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AgentError';
    this.code = code;
  }
}

/** An option or flag has a value the agent cannot use. */
export class AgentConfigError extends AgentError {
  constructor(message: string, options?: ErrorOptions) {
    super('invalid-config', message, options);
    this.name = 'AgentConfigError';
  }
}

export const TRANSPORT_ERROR_CODES = {
  /** The session was stopped before the message was acknowledged. */
  stopped: 'session-stopped',
  /** The in-memory queue was full and dropped its oldest message. */
  queueFull: 'queue-full',
} as const;

export type TransportErrorCode =
  (typeof TRANSPORT_ERROR_CODES)[keyof typeof TRANSPORT_ERROR_CODES];

/** A message could not be delivered to the broker. */
export class TransportError extends AgentError {
  constructor(
    code: TransportErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(code, message, options);
    this.name = 'TransportError';
  }
}

/** A report does not fit the protocol's size or schema. */
export class ReportError extends AgentError {
  constructor(
    code: 'report-too-large' | 'report-invalid',
    message: string,
    options?: ErrorOptions,
  ) {
    super(code, message, options);
    this.name = 'ReportError';
  }
}

/** The agent's state file could not be read or written. */
export class StateError extends AgentError {
  constructor(message: string, options?: ErrorOptions) {
    super('state-io', message, options);
    this.name = 'StateError';
  }
}

export const PROBE_ERROR_CODES = [
  'probe-failed',
  'probe-timeout',
  'output-unparsed',
] as const;

export type ProbeErrorCode = (typeof PROBE_ERROR_CODES)[number];

/**
 * A probe could not collect its data. The code matches the catalogue's
 * `agent.<code>` entry, so a check turns it into a finding as it is.
 */
export class ProbeError extends AgentError {
  readonly detail: Record<string, unknown>;

  constructor(
    code: ProbeErrorCode,
    message: string,
    detail: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(code, message, options);
    this.name = 'ProbeError';
    this.detail = detail;
  }
}
