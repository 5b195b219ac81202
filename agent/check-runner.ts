import {
  type CheckKind,
  deviceTopic,
  type Report,
  type Trigger,
} from '../core/index.js';
import type { ResolvedOptions } from './agent-options.js';
import type { Check } from './checks/types.js';
import { AgentError } from './errors.js';
import type { CompactAfterWork } from './memory/compact-after-work.js';
import { buildReport, newReportId } from './messages/report.js';
import { receiptOf } from './scheduler/run-cycle.js';
import type { StateStore } from './state/state-store.js';
import type { MqttSession } from './transport/mqtt-session.js';

/**
 * Runs a check and sends its report:
 *
 *   run the check ─▶ build + validate the report ─▶ store it in the outbox
 *     (on disk; sent now, or after the next connect) ─▶ record the run time
 *
 * `run` resolves only once the report is stored: the scheduler counts a
 * cycle done after that, so a crash before it leaves the cycle to run
 * again and a crash after it leaves the report to be sent on restart.
 *
 * Runs are one at a time: two probes racing for the same WMI or the same
 * disk only slow each other down. When the last queued run is over, the
 * compactor (if any) hears of it and gives memory back after a quiet spell.
 */
export class CheckRunner {
  readonly #options: ResolvedOptions;
  readonly #state: StateStore;
  readonly #session: MqttSession;
  readonly #checks: ReadonlyMap<CheckKind, Check>;
  readonly #compactor: CompactAfterWork | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    options: ResolvedOptions,
    state: StateStore,
    session: MqttSession,
    compactor?: CompactAfterWork,
  ) {
    this.#options = options;
    this.#state = state;
    this.#session = session;
    this.#checks = new Map(options.checks.map((c) => [c.kind, c]));
    this.#compactor = compactor;
  }

  kinds(): CheckKind[] {
    return [...this.#checks.keys()];
  }

  /** Runs a check; `cycleId` when a cycle window asked for it. */
  run(kind: CheckKind, trigger: Trigger, cycleId?: string): Promise<Report> {
    const check = this.#checks.get(kind);
    if (!check) {
      return Promise.reject(
        new AgentError('unknown-check', `this agent has no ${kind} check`),
      );
    }

    this.#compactor?.workStarted();
    const next = this.#queue
      .catch(() => undefined)
      .then(() => this.#runOnce(check, trigger, cycleId));
    this.#queue = next;
    const settle = () => {
      if (this.#queue === next) this.#compactor?.workDone();
    };
    next.then(settle, settle);
    return next;
  }

  /** Resolves once the run in progress, if any, has finished. */
  async idle() {
    await this.#queue.catch(() => undefined);
  }

  async #runOnce(
    check: Check,
    trigger: Trigger,
    cycleId: string | undefined,
  ): Promise<Report> {
    const { now, policy, platform, run, logger, thingName } = this.#options;
    const startedAt = now();
    const result = await check.run({
      now,
      policy,
      platform,
      run,
      logger,
      trigger,
      ...(cycleId ? { cycleId } : {}),
    });
    const finishedAt = now();

    const report = buildReport(
      {
        thingName,
        check: check.kind,
        trigger,
        cycleId,
        startedAt,
        finishedAt,
        result,
      },
      newReportId(finishedAt),
    );
    await this.#store(report);
    await this.#state.recordRun(check.kind, finishedAt).catch((error) => {
      // The report is stored; only the hello's run time is stale.
      logger.warn('run time not saved', { check: check.kind, error });
    });
    return report;
  }

  async #store(report: Report) {
    const { thingName, logger } = this.#options;
    const queued = await this.#session.queue({
      topic: deviceTopic(thingName, 'reports'),
      payload: JSON.stringify(report),
      // The cycle runner asks for this receipt before rerunning a window.
      ...(report.cycleId
        ? { receipt: receiptOf(report.cycleId, report.check) }
        : {}),
      group: report.check,
      routine: report.trigger === 'schedule' || report.trigger === 'catch-up',
    });

    const fields = { check: report.check, reportId: report.reportId };
    logger.info('report queued', {
      ...fields,
      cycleId: report.cycleId,
      trigger: report.trigger,
      verdict: report.verdict,
      findings: report.findings.length,
    });
    queued.acked.then(
      () => logger.debug('report acknowledged', fields),
      (error: AgentError) => {
        // Stopping keeps the report in the outbox for the next start.
        if (error.code === 'session-stopped') {
          logger.debug('report kept for the next start', fields);
        } else logger.warn('report not delivered', { ...fields, error });
      },
    );
  }
}
