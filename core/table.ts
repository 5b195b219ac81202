/**
 * The single DynamoDB table. infra creates it from this definition and
 * local/ creates the same table in dynalite, so the two cannot drift.
 *
 * Items (pk / sk):
 *   DEVICE#<thing> / META                 device registration and last hello
 *   DEVICE#<thing> / CHECK#<check>        latest report per check
 *   DEVICE#<thing> / FINDING#<code>#<subject>  one finding and its state
 *   DEVICE#<thing> / REPORT#<reportId>    report history (expires by TTL)
 *   IDEMPOTENCY#<key> / IDEMPOTENCY       idempotency records (expire by TTL)
 *   CLIENTS / CLIENT#<clientId>           the client directory, so that every
 *                                         client can be listed without a scan
 *   DEVICE#<thing> / JOB#<jobId>          a remedy job and the finding it is for
 *   DEVICE#<thing> / ESCALATION#<code>#<subject>#<occurrence>
 *                                         a finding handed to a human
 *
 * GSI1 lists a client's devices and open findings (resolved findings drop
 * their gsi1 keys, so the index stays sparse):
 *   gsi1pk = CLIENT#<clientId>,
 *   gsi1sk = DEVICE#<thing> | FINDING#<thing>#<code>#<subject>
 *          | ESCALATION#<escalatedAt>#<thing>#<code>#<subject>
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  indexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
} as const;

export const keys = {
  device: (thing: string) => `DEVICE#${thing}`,
  meta: () => 'META',
  check: (check: string) => `CHECK#${check}`,
  finding: (code: string, subject: string) => `FINDING#${code}#${subject}`,
  report: (reportId: string) => `REPORT#${reportId}`,
  client: (clientId: string) => `CLIENT#${clientId}`,
  clients: () => 'CLIENTS',
  clientFinding: (thing: string, code: string, subject: string) =>
    `FINDING#${thing}#${code}#${subject}`,
  job: (jobId: string) => `JOB#${jobId}`,
  escalation: (code: string, subject: string, occurrence: number) =>
    `ESCALATION#${code}#${subject}#${occurrence}`,
  clientEscalation: (
    escalatedAt: string,
    thing: string,
    code: string,
    subject: string,
  ) => `ESCALATION#${escalatedAt}#${thing}#${code}#${subject}`,
  idempotency: (key: string) => `IDEMPOTENCY#${key}`,
  idempotencySort: () => 'IDEMPOTENCY',
} as const;
