/** Why a benchmark could not produce its figures. */
export const BENCH_ERROR_CODES = [
  /** A flag or its value is not one the benchmark takes. */
  'usage',
  /** The code under measurement failed, so the figure would be wrong. */
  'measured-code-failed',
] as const;

export type BenchErrorCode = (typeof BENCH_ERROR_CODES)[number];

export class BenchError extends Error {
  readonly code: BenchErrorCode;

  constructor(code: BenchErrorCode, message: string) {
    super(message);
    this.name = 'BenchError';
    this.code = code;
  }
}
