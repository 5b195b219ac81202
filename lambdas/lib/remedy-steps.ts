import type { Logger } from '@aws-lambda-powertools/logger';
import { catalogueEntry } from '../../core/catalogue/index.js';
import type { RemediationPolicy } from '../../core/policy.js';
import { REMEDIES, type RemedyName } from '../../core/remedies.js';
import type { UnsignedJobDocument } from '../../core/schemas/job.js';
import type { JobStep } from '../../core/scoring/decide.js';
import { scoreFinding } from '../../core/scoring/priority.js';
import type { DeviceFacts } from '../../core/scoring/products.js';
import { keys } from '../../core/table.js';
import type { PolicyTarget } from './client-policy.js';
import type { FindingLifecycle } from './finding-lifecycle.js';
import type { FindingItem, MetaItem } from './items.js';
import { remedyJobId } from './job-id.js';
import type { JobIssuer } from './job-issuer.js';
import { type JobSigningKey, signJobDocument } from './job-signing.js';
import type { RemedyConfig } from './remedy-config.js';
import {
  type ClosedAttempt,
  type EscalationSummary,
  escalationItem,
  jobItem,
  occurrenceOf,
  type RemedyAttempt,
  type StoredPriority,
} from './remedy-items.js';

export interface RemedyStepDeps {
  lifecycle: FindingLifecycle;
  issuer: Pick<JobIssuer, 'create' | 'retryPending'>;
  /** The signing key, read once per container. */
  signingKey: () => Promise<JobSigningKey>;
  policies: {
    remediation(target: PolicyTarget): Promise<RemediationPolicy>;
  };
  config: Pick<RemedyConfig, 'jobIdPrefix' | 'documentTtlHours'>;
  logger: Logger;
  now: () => number;
}

const HOUR_MS = 3600 * 1000;

export function keyOf(finding: Pick<FindingItem, 'pk' | 'sk'>) {
  return { pk: finding.pk, sk: finding.sk };
}

export function deviceFacts(meta: MetaItem): DeviceFacts {
  return {
    platform: meta.hello?.os.platform,
    securityProducts: meta.hello?.securityProducts.map((p) => p.name),
  };
}

export function priorityOf(
  meta: MetaItem,
  finding: FindingItem,
  nowMs: number,
): StoredPriority {
  const priority = scoreFinding({
    severity: finding.severity,
    known: catalogueEntry(finding.code) !== undefined,
    recurrences: finding.resolutions ?? 0,
    openedAtMs: Date.parse(finding.openedAt ?? finding.firstSeenAt),
    nowMs,
    role: meta.role,
  });
  return { ...priority, scoredAt: new Date(nowMs).toISOString() };
}

/**
 * Sends one step as a job: the JOB item first (so its events always find
 * their finding), then the signed document through CreateJob. A repeat
 * with the same id finds the job made and the JOB item's issue time.
 */
export async function issueJob(
  deps: RemedyStepDeps,
  meta: MetaItem,
  finding: FindingItem,
  step: JobStep,
): Promise<RemedyAttempt> {
  const occurrence = occurrenceOf(finding);
  const { thingName } = meta;
  const jobId = remedyJobId({
    prefix: deps.config.jobIdPrefix,
    thingName,
    code: finding.code,
    subject: finding.subject,
    occurrence,
    attempt: step.attempt,
  });
  const issuedAt = await recordJob(deps, meta, finding, step, jobId);

  const document = signJobDocument(
    unsignedDocument(deps, finding, step, thingName, issuedAt),
    await deps.signingKey(),
  );
  const created = await deps.issuer.create({
    jobId,
    thingName,
    document,
    timeoutMinutes: REMEDIES[step.remedy as RemedyName].timeoutMinutes,
    description: `${step.remedy} for ${finding.code} on ${finding.subject}`,
  });
  deps.logger.info(created ? 'remedy job created' : 'remedy job existed', {
    jobId,
    thingName,
    code: finding.code,
    remedy: step.remedy,
    attempt: step.attempt,
  });

  const { product, remedy, params, attempt } = step;
  return {
    jobId,
    occurrence,
    attempt,
    product,
    step: step.step,
    remedy,
    params,
    issuedAt: new Date(issuedAt).toISOString(),
    issuedAtMs: issuedAt,
  };
}

async function recordJob(
  deps: RemedyStepDeps,
  meta: MetaItem,
  finding: FindingItem,
  step: JobStep,
  jobId: string,
) {
  const now = deps.now();
  const stored = await deps.lifecycle.putJob(
    jobItem({
      jobId,
      thingName: meta.thingName,
      clientId: meta.clientId,
      code: finding.code,
      subject: finding.subject,
      occurrence: occurrenceOf(finding),
      attempt: step.attempt,
      remedy: step.remedy,
      issuedAt: new Date(now).toISOString(),
    }),
  );
  if (stored) return now;
  const existing = await deps.lifecycle.getJob(meta.thingName, jobId);
  return existing ? Date.parse(existing.issuedAt) : now;
}

function unsignedDocument(
  deps: RemedyStepDeps,
  finding: FindingItem,
  step: JobStep,
  thingName: string,
  issuedAtMs: number,
): UnsignedJobDocument {
  const expires = issuedAtMs + deps.config.documentTtlHours * HOUR_MS;
  return {
    v: 1,
    deviceId: thingName,
    remedy: step.remedy,
    params: step.params,
    finding: { code: finding.code, subject: finding.subject },
    attempt: step.attempt,
    recheck: finding.check,
    issuedAt: new Date(issuedAtMs).toISOString(),
    expiresAt: new Date(expires).toISOString(),
  };
}

/**
 * Hands a finding to a human: the ESCALATION item with this occurrence's
 * history first (a put that happens once), then the finding's state. A
 * retry after a crash between the two finds the item and moves the state.
 */
export async function escalateFinding(
  deps: RemedyStepDeps,
  meta: MetaItem,
  finding: FindingItem,
  escalation: Omit<EscalationSummary, 'occurrence' | 'escalatedAt'>,
  from: { status: 'open' | 'remediating'; closed?: ClosedAttempt },
) {
  const occurrence = occurrenceOf(finding);
  const escalatedAt = new Date(deps.now()).toISOString();
  const priority = priorityOf(meta, finding, deps.now());
  const attempts = [
    ...(finding.attempts ?? []),
    ...(from.closed ? [from.closed] : []),
  ].filter((a) => a.occurrence === occurrence);
  const summary = { ...escalation, occurrence, escalatedAt };

  await deps.lifecycle.putEscalation(
    escalationItem({
      thingName: meta.thingName,
      clientId: meta.clientId,
      code: finding.code,
      subject: finding.subject,
      check: finding.check,
      severity: finding.severity,
      title: finding.title,
      occurrence,
      reason: escalation.reason,
      humanStep: escalation.humanStep,
      priority,
      attempts,
      escalatedAt,
    }),
  );
  const moved = await deps.lifecycle.escalate(
    keyOf(finding),
    summary,
    priority,
    from,
  );
  deps.logger.info('finding escalated', {
    thingName: meta.thingName,
    code: finding.code,
    subject: finding.subject,
    reason: escalation.reason,
    attempts: attempts.length,
    applied: moved,
  });
  return moved;
}

export function findingKeyOf(thingName: string, code: string, subject: string) {
  return { pk: keys.device(thingName), sk: keys.finding(code, subject) };
}
