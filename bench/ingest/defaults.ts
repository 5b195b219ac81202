/**
 * Settings of the ingest benchmark, with units. `npm run bench:ingest --
 * --help` lists the flags that change them.
 */
export const ingestBenchDefaults = {
  /** Simulated devices, each its own MQTT client (client id = thing name). */
  devices: 20,
  /** Reports published through the local path per throughput run. */
  reports: 5_000,
  /** A throughput run that has not stored every report by then fails, s. */
  timeLimitSeconds: 300,
  /** Reports fed to the handler for the CPU figure, after the warm-up. */
  cpuReports: 5_000,
  /** Reports fed first and not counted, so that the JIT has settled. */
  cpuWarmupReports: 2_000,
  /** Records per handler invocation: the SQS event source maximum. */
  batchSize: 10,
  /** Fresh processes that import the bundle; the median is reported. */
  coldImportRuns: 7,
  /** Repetitions of the whole suite; each one is recorded. */
  repeat: 3,
} as const;

/**
 * The bars of issue 2 item 7. A figure passes when the median of the
 * repetitions is on the right side of its bar.
 */
export const ingestTargets = {
  /** Reports stored per second through the local path, on 2 cores. */
  reportsPerSecond: { min: 1_000 },
  /** Handler CPU per report without I/O, ms. */
  cpuMsPerReport: { max: 1 },
  /** dist/lambdas/ingest/index.mjs, bytes (300 KB). */
  bundleBytes: { max: 300 * 1024 },
  /** Importing the bundle in a fresh node process, ms. */
  coldImportMs: { max: 150 },
} as const;

export type IngestBenchSettings = {
  -readonly [K in keyof typeof ingestBenchDefaults]: number;
};
