import {
  type CheckKind,
  deviceTopic,
  type Report,
  type Trigger,
} from '../core/index.js';
import type { ResolvedOptions } from './agent-options.js';
import type { Check } from './checks/types.js';
import { AgentError } from './errors.js';
import { buildReport, newReportId } from './messages/report.js';
import type { StateStore } from './state/state-store.js';
import type { MqttSession } from './transport/mqtt-session.js';

/**
 * Runs a check and sends its report:
 *
 *   run the check ─▶ build + validate the report ─▶ record the run time
 *     ─▶ queue it on the session (sent now, or after the next connect)
 *
 * Runs are one at a time: two probes racing for the same WMI or the same
 * disk only slow each other down.
 */
export class CheckRunner {
  readonly #options: ResolvedOptions;
  readonly #state: StateStore;
  readonly #session: MqttSession;
  readonly #checks: ReadonlyMap<CheckKind, Check>;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    options: ResolvedOptions,
    state: StateStore,
    session: MqttSession,
  ) {
    this.#options = options;
    this.#state = state;
    this.#session = session;
    this.#checks = new Map(options.checks.map((c) => [c.kind, c]));
  }

  kinds(): CheckKind[] {
    return [...this.#checks.keys()];
  }

  run(kind: CheckKind, trigger: Trigger): Promise<Report> {
    const check = this.#checks.get(kind);
    if (!check) {
      return Promise.reject(
        new AgentError('unknown-check', `this agent has no ${kind} check`),
      );
    }

    const next = this.#queue
      .catch(() => undefined)
      .then(() => this.#runOnce(check, trigger));
    this.#queue = next;
    return next;
  }

  /** Resolves once the run in progress, if any, has finished. */
  async idle() {
    await this.#queue.catch(() => undefined);
  }

  async #runOnce(check: Check, trigger: Trigger): Promise<Report> {
    const { now, policy, platform, run, logger, thingName } = this.#options;
    const startedAt = now();
    const result = await check.run({
      now,
      policy,
      platform,
      run,
      logger,
      trigger,
    });
    const finishedAt = now();

    const report = buildReport(
      { thingName, check: check.kind, trigger, startedAt, finishedAt, result },
      newReportId(finishedAt),
    );
    await this.#state.recordRun(check.kind, finishedAt).catch((error) => {
      // The report still goes out; only the hello's run time is stale.
      logger.warn('run time not saved', { check: check.kind, error });
    });
    this.#publish(report);
    return report;
  }

  #publish(report: Report) {
    const { thingName, logger } = this.#options;
    const fields = { check: report.check, reportId: report.reportId };
    logger.info('report queued', {
      ...fields,
      verdict: report.verdict,
      findings: report.findings.length,
    });

    this.#session
      .publish(deviceTopic(thingName, 'reports'), JSON.stringify(report))
      .then(
        () => logger.debug('report acknowledged', fields),
        (error) => logger.warn('report not delivered', { ...fields, error }),
      );
  }
}
