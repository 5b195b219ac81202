import { catalogueEntry } from '../../core/catalogue/index.js';
import type { RemediationPolicy } from '../../core/policy.js';
import {
  type JobExecutionEvent,
  thingNameOfArn,
} from '../../core/schemas/job-event.js';
import type { Report } from '../../core/schemas/report.js';
import {
  decideRemedy,
  type EscalationReason,
  type RemedyDecision,
} from '../../core/scoring/decide.js';
import {
  type FinalJobStatus,
  judgeAttempt,
} from '../../core/scoring/lifecycle.js';
import type { PolicyTarget } from './client-policy.js';
import type { FindingKey } from './finding-lifecycle.js';
import type { FindingItem, MetaItem } from './items.js';
import {
  type ClosedAttempt,
  closeAttempt,
  type RemedyAttempt,
} from './remedy-items.js';
import {
  deviceFacts,
  escalateFinding,
  findingKeyOf,
  issueJob,
  keyOf,
  priorityOf,
  type RemedyStepDeps,
} from './remedy-steps.js';

export interface RemedyLoopDeps extends RemedyStepDeps {
  devices: { getMeta(thingName: string): Promise<MetaItem | undefined> };
  /**
   * The check's findings as this invocation holds them (afterReport);
   * without it a decision that needs them reads them.
   */
  checkFindings?: () => readonly FindingItem[];
}

export type EventOutcome =
  | 'unknown-job'
  | 'stale'
  | 'retry-pending'
  | SettleOutcome;

export type SettleOutcome =
  | 'idle'
  | 'wait'
  | 'closed'
  | 'next-step'
  | 'escalated'
  | 'lost-race';

/**
 * The remedy loop (docs/remedies.md). Two facts end a remedy attempt: the
 * job's final status (job-events handler) and the re-check report (ingest
 * handler). They arrive in either order; whoever brings the second one
 * settles the attempt:
 *
 *   job SUCCEEDED ─┐                       ┌─ finding gone ──▶ resolved
 *                  ├─ settle ─ judgeAttempt ┤
 *   re-check ──────┘                       └─ still there ───▶ next step
 *
 * Every write is conditional on the job in flight, so a duplicate report or
 * event, or both handlers settling at once, changes the state only once.
 */
export class RemedyLoop {
  readonly #deps: RemedyLoopDeps;

  constructor(deps: RemedyLoopDeps) {
    this.#deps = deps;
  }

  /**
   * After ingest stored a report: decide new findings, note re-checks.
   * `findings` are the check's findings as the report's write left them
   * (ReportWriter), read here when not given. Resolves them as this loop
   * then left them, so that the events need not read them again.
   */
  async afterReport(
    meta: MetaItem,
    report: Report,
    findings?: readonly FindingItem[],
  ): Promise<FindingItem[]> {
    const { lifecycle } = this.#deps;
    const current =
      findings ?? (await lifecycle.ofCheck(meta.thingName, report.check));
    const written = new Map<string, FindingItem>();
    const held = () => current.map((f) => written.get(f.sk) ?? f);
    const loop = new RemedyLoop({
      ...this.#deps,
      lifecycle: lifecycle.recordingInto(written),
      policies: readOnce(this.#deps.policies),
      checkFindings: held,
    });
    for (const finding of current) {
      await loop.#onReport(meta, report, finding, written);
    }
    return held();
  }

  /** A job execution reached a final status. */
  async onJobEvent(event: JobExecutionEvent): Promise<EventOutcome> {
    const { lifecycle, issuer, logger } = this.#deps;
    const thingName = thingNameOfArn(event.thingArn) ?? '';
    const job = await lifecycle.getJob(thingName, event.jobId);
    if (!job) return 'unknown-job';

    const key = findingKeyOf(thingName, job.code, job.subject);
    const finding = await lifecycle.get(key);
    if (finding?.remedy?.jobId !== event.jobId) return 'stale';

    const jobStatus: FinalJobStatus =
      event.status === 'DELETED' ? 'REMOVED' : event.status;
    const failed = jobStatus === 'FAILED' || jobStatus === 'TIMED_OUT';
    if (failed && (await issuer.retryPending(event.jobId, thingName))) {
      logger.info('remedy job will be retried by IoT', {
        jobId: event.jobId,
        thingName,
        status: jobStatus,
      });
      return 'retry-pending';
    }
    // The state to settle on is the one this write returned; a repeated
    // event's write does not apply, and then the finding is read.
    const written = new Map<string, FindingItem>();
    const noted = await lifecycle
      .recordingInto(written)
      .recordJobStatus(key, event.jobId, {
        jobStatus,
        jobStatusAt: new Date(event.timestamp * 1000).toISOString(),
        statusDetails: event.statusDetails,
      });
    const meta = await this.#deps.devices.getMeta(thingName);
    if (!meta) return 'idle';
    const state = noted ? written.get(key.sk) : await lifecycle.get(key);
    return state ? this.#settle(meta, state) : 'idle';
  }

  /** Acts on what is known of the job in flight, if both facts are in. */
  async settle(meta: MetaItem, key: FindingKey): Promise<SettleOutcome> {
    const finding = await this.#deps.lifecycle.get(key);
    return finding ? this.#settle(meta, finding) : 'idle';
  }

  /**
   * One finding after a report. The state it acts on was taken when or
   * after this invocation wrote its fact (the report's finding write, the
   * re-check note), and the job-events function reads after writing its
   * own: whichever of the two writes second sees both facts.
   */
  async #onReport(
    meta: MetaItem,
    report: Report,
    finding: FindingItem,
    written: ReadonlyMap<string, FindingItem>,
  ) {
    let state: FindingItem | undefined = finding;
    if (finding.remedy && isRecheckFor(report, finding.remedy)) {
      const present =
        finding.status !== 'resolved' &&
        finding.lastReportId === report.reportId;
      const noted = await this.#deps.lifecycle.recordRecheck(
        keyOf(finding),
        finding.remedy.jobId,
        present ? 'present' : 'gone',
        report.reportId,
      );
      // Not noted: the finding changed since it was taken; read it.
      state = noted
        ? written.get(finding.sk)
        : await this.#deps.lifecycle.get(keyOf(finding));
    }
    if (state?.status === 'open') await this.#begin(meta, state);
    else if (state?.remedy) await this.#settle(meta, state);
  }

  async #settle(meta: MetaItem, finding: FindingItem): Promise<SettleOutcome> {
    const remedy = finding.remedy;
    if (!remedy) return 'idle';

    const resolved = finding.status === 'resolved';
    const verdict = judgeAttempt({
      jobStatus: remedy.jobStatus,
      reason: remedy.statusDetails?.reason,
      recheck: resolved ? 'gone' : remedy.recheck,
    });
    const closed = closeAttempt(remedy, resolved, this.#nowIso());
    switch (verdict) {
      case 'wait':
        return 'wait';
      case 'resolved':
        return this.#closeResolved(finding, remedy, closed);
      case 'next-step':
        return this.#advance(meta, finding, remedy, closed);
      case 'escalate-rejected':
        return this.#escalate(meta, finding, { reason: 'rejected' }, closed);
      case 'escalate-canceled':
        return this.#escalate(meta, finding, { reason: 'canceled' }, closed);
    }
  }

  /** A finding that opened (new, or back after being resolved). */
  async #begin(meta: MetaItem, finding: FindingItem) {
    // A remedy still on an open finding is from the occurrence that ended
    // when the finding was resolved.
    const stale = finding.remedy
      ? closeAttempt(finding.remedy, true, this.#nowIso())
      : undefined;
    const decision = await this.#decide(meta, finding);

    switch (decision.kind) {
      case 'none':
        return;
      case 'suppress':
        await this.#deps.lifecycle.suppress(keyOf(finding));
        return;
      case 'escalate':
        await escalateFinding(this.#deps, meta, finding, escalation(decision), {
          status: 'open',
          closed: stale,
        });
        return;
      case 'job': {
        const attempt = await issueJob(this.#deps, meta, finding, decision);
        const priority = priorityOf(meta, finding, this.#deps.now());
        await this.#deps.lifecycle.startRemedy(
          keyOf(finding),
          attempt,
          priority,
          stale,
        );
      }
    }
  }

  async #advance(
    meta: MetaItem,
    finding: FindingItem,
    remedy: RemedyAttempt,
    closed: ClosedAttempt,
  ): Promise<SettleOutcome> {
    const decision = await this.#decide(meta, finding, {
      product: remedy.product,
      lastStep: remedy.step,
      attempts: remedy.attempt,
    });
    if (decision.kind !== 'job') {
      const chainEnd = { kind: 'escalate', reason: 'chain-end' } as const;
      const why = decision.kind === 'escalate' ? decision : chainEnd;
      return this.#escalate(meta, finding, escalation(why), closed);
    }

    const next = await issueJob(this.#deps, meta, finding, decision);
    const moved = await this.#deps.lifecycle.nextAttempt(
      keyOf(finding),
      closed,
      next,
    );
    return moved ? 'next-step' : 'lost-race';
  }

  async #escalate(
    meta: MetaItem,
    finding: FindingItem,
    why: Parameters<typeof escalateFinding>[3],
    closed: ClosedAttempt,
  ): Promise<SettleOutcome> {
    const moved = await escalateFinding(this.#deps, meta, finding, why, {
      status: 'remediating',
      closed,
    });
    return moved ? 'escalated' : 'lost-race';
  }

  async #closeResolved(
    finding: FindingItem,
    remedy: RemedyAttempt,
    closed: ClosedAttempt,
  ): Promise<SettleOutcome> {
    // Resolved but the job's end not heard yet: its event closes it.
    if (finding.status !== 'resolved' || !remedy.jobStatus) return 'wait';
    const done = await this.#deps.lifecycle.closeResolved(
      keyOf(finding),
      closed,
    );
    return done ? 'closed' : 'lost-race';
  }

  async #decide(
    meta: MetaItem,
    finding: FindingItem,
    progress?: { product: string; lastStep: number; attempts: number },
  ): Promise<RemedyDecision> {
    return decideRemedy({
      finding,
      related: await this.#relatedOf(meta, finding),
      entry: catalogueEntry(finding.code),
      remediation: await this.#deps.policies.remediation({
        thingName: meta.thingName,
        clientId: meta.clientId,
        // Written at enrolment when the device has a site (policy-layers.ts).
        siteId: (meta as MetaItem & { siteId?: string }).siteId,
      }),
      device: deviceFacts(meta),
      progress,
    });
  }

  /**
   * A SMART finding's chain depends on the drive's other findings (a
   * dying drive gets no surface scan): its check's unresolved findings,
   * as held after a report, else read; for SMART decisions only.
   */
  async #relatedOf(meta: MetaItem, finding: FindingItem) {
    if (!finding.code.startsWith('smart.')) return [];
    const all =
      this.#deps.checkFindings?.() ??
      (await this.#deps.lifecycle.ofCheck(meta.thingName, finding.check));
    return all.filter((f) => f.status !== 'resolved' && f.sk !== finding.sk);
  }

  #nowIso() {
    return new Date(this.#deps.now()).toISOString();
  }
}

/**
 * The findings of one report share a device, so the first decision's
 * policy read serves the others (a patch assessment may open many).
 */
function readOnce(policies: RemedyStepDeps['policies']) {
  let read: Promise<RemediationPolicy> | undefined;
  return {
    remediation: (target: PolicyTarget) =>
      (read ??= policies.remediation(target)),
  };
}

function escalation(decision: {
  reason: EscalationReason;
  humanStep?: { remedy: string; params: Record<string, unknown> };
}) {
  return {
    reason: decision.reason,
    ...(decision.humanStep ? { humanStep: decision.humanStep } : {}),
  };
}

/**
 * A report proves a remedy when the agent ran it for the job: trigger `job`,
 * finished after the job was issued, and naming the job as its cycleId
 * (or naming none, for agents that do not; docs/remedies.md).
 */
export function isRecheckFor(report: Report, remedy: RemedyAttempt) {
  return (
    report.trigger === 'job' &&
    Date.parse(report.finishedAt) > remedy.issuedAtMs &&
    (report.cycleId === undefined || report.cycleId === remedy.jobId)
  );
}
