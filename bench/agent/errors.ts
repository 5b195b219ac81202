/** Why the agent benchmark could not produce its figures. */
export const AGENT_BENCH_ERROR_CODES = [
  /** A flag or its value is not one the benchmark takes. */
  'usage',
  /** /proc or getconf did not give a figure. */
  'proc-unreadable',
  /** A measured process could not start or ended too early. */
  'child-failed',
  /** The agent did not publish what it should within the time limit. */
  'no-message',
  /** The full set of checks did not end within the time limit. */
  'checks-timeout',
] as const;

export type AgentBenchErrorCode = (typeof AGENT_BENCH_ERROR_CODES)[number];

export class AgentBenchError extends Error {
  readonly code: AgentBenchErrorCode;

  constructor(
    code: AgentBenchErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AgentBenchError';
    this.code = code;
  }
}
