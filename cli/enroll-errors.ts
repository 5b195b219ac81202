/**
 * Errors of `upkeep enroll`, each with a stable code: `invalid-usage` (a
 * flag or its value; exit 2), `iot-call-failed`, `directory-conflict`,
 * `missing-setting` and `bundle-failed` (exit 1).
 */
export class EnrollError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EnrollError';
    this.code = code;
  }
}
