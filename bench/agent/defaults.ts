/** Sizes in the targets: 1 KB = 1024 bytes, 1 MB = 1024 KB. */
export const KB = 1024;
export const MB = 1024 * KB;

export interface AgentBenchSettings {
  /** Whole runs (idle + checks) in a row; figures are their medians. */
  runs: number;
  /** Length of the idle window, s. */
  idleSeconds: number;
  /** After the start-up report arrived, before the idle window opens, s. */
  settleSeconds: number;
  /** Time between two readings of /proc, ms. */
  sampleIntervalMs: number;
  /** A start that has not sent hello and its first report by then fails, s. */
  startTimeoutSeconds: number;
  /** The full set of checks fails when it takes longer, s. */
  checksTimeoutSeconds: number;
}

export const agentBenchDefaults: AgentBenchSettings = {
  runs: 3,
  idleSeconds: 60,
  // The start-up report's PUBACK and the log line after it come within
  // milliseconds; 5 s keeps them and the first GC out of the window.
  settleSeconds: 5,
  sampleIntervalMs: 1_000,
  startTimeoutSeconds: 30,
  // smartctl may take 60 s per drive and apt a few seconds more.
  checksTimeoutSeconds: 600,
};

/** Issue 3: the agent's quality bars. */
export const agentTargets = {
  /** Idle resident memory; a bare Node 22 process is about 45 MB. */
  idleRssBytes: 55 * MB,
  /** Idle CPU, percent of one core. */
  idleCpuPercent: 0.05,
  /** The same two, enrolled: mutual TLS, its cycle group and jobs on. */
  enrolledIdleRssBytes: 55 * MB,
  enrolledIdleCpuPercent: 0.05,
  /** dist/agent/index.mjs. */
  bundleBytes: 500 * KB,
};
