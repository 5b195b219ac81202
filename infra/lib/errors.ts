/**
 * Errors the CDK app raises while it builds the stack. They surface as the
 * failure of `cdk synth`, so each message names the setting, the rule and the
 * value received.
 */
export class InfraError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InfraError';
    this.code = code;
  }
}

export const SETTINGS_ERROR_CODES = {
  invalid: 'SETTING_INVALID',
  unknown: 'SETTING_UNKNOWN',
} as const;

export type SettingsErrorCode =
  (typeof SETTINGS_ERROR_CODES)[keyof typeof SETTINGS_ERROR_CODES];

/** A `upkeep:*` context value that is missing, malformed or unknown. */
export class SettingsError extends InfraError {
  readonly key: string;

  constructor(code: SettingsErrorCode, key: string, message: string) {
    super(code, `${key}: ${message}`);
    this.name = 'SettingsError';
    this.key = key;
  }
}
