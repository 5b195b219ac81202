import { createHash } from 'node:crypto';

/**
 * A remedy job's id, the same for the same step of the same occurrence of a
 * finding: `<prefix>-<20 hex of the finding>-o<occurrence>-a<attempt>`.
 * Deciding twice (a redelivered report, a repeated job event) therefore
 * asks CreateJob for the same id, and IoT answers
 * ResourceAlreadyExistsException instead of making a second job. Job ids
 * allow 64 characters of [a-zA-Z0-9_-]; thing names and subjects do not
 * fit, so the finding is hashed and the JOB item maps back.
 */
export function remedyJobId(parts: {
  prefix: string;
  thingName: string;
  code: string;
  subject: string;
  occurrence: number;
  attempt: number;
}): string {
  const finding = createHash('sha256')
    .update(`${parts.thingName}\u0000${parts.code}\u0000${parts.subject}`)
    .digest('hex')
    .slice(0, 20);
  return `${parts.prefix}-${finding}-o${parts.occurrence}-a${parts.attempt}`;
}
