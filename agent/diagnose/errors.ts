import { AgentError } from '../errors.js';

export const DIAGNOSE_ERROR_CODES = {
  /** The file could not be read, is empty or is not text. */
  unreadable: 'diagnose-unreadable',
  /** No kind matches the text and none was given. */
  undetectable: 'diagnose-undetectable',
  /** --kind was given and the text does not parse as that kind at all. */
  wrongKind: 'diagnose-wrong-kind',
  /** The command line is wrong. */
  usage: 'diagnose-usage',
} as const;

export type DiagnoseErrorCode =
  (typeof DIAGNOSE_ERROR_CODES)[keyof typeof DIAGNOSE_ERROR_CODES];

/** Input `diagnose` cannot judge at all; the command exits with 2. */
export class DiagnoseError extends AgentError {
  constructor(
    code: DiagnoseErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(code, message, options);
    this.name = 'DiagnoseError';
  }
}
