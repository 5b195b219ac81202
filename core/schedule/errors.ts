export const SCHEDULE_ERROR_CODES = [
  'invalid-expression',
  'unsupported-expression',
  'invalid-time-zone',
  'invalid-maintenance-window',
  'invalid-cycle-id',
] as const;

export type ScheduleErrorCode = (typeof SCHEDULE_ERROR_CODES)[number];

/**
 * A schedule expression, time zone, maintenance window or cycle id that the
 * schedule functions cannot use. `code` is stable; the message names the
 * rule and the value received.
 */
export class ScheduleError extends Error {
  readonly code: ScheduleErrorCode;

  constructor(code: ScheduleErrorCode, message: string) {
    super(message);
    this.name = 'ScheduleError';
    this.code = code;
  }
}
