import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Finding } from '../../core/schemas/finding.js';
import type { Report } from '../../core/schemas/report.js';
import { keys } from '../../core/table.js';
import { applied, appliedInto } from './conditional.js';
import type { FindingKey } from './finding-lifecycle.js';
import {
  type OpenForm,
  openFindingUpdate,
  resolveFindingUpdate,
} from './finding-updates.js';
import { putItem, queryItems, updateItem } from './item-io.js';
import {
  checkItem,
  type FindingItem,
  findingKey,
  type ReportContext,
  reportItem,
} from './items.js';

export interface WriteSummary {
  reportId: string;
  /** False when the REPORT item existed already (a redelivery). */
  reportStored: boolean;
  /** False when a newer report of this check is stored. */
  checkUpdated: boolean;
  opened: number;
  resolved: number;
  /**
   * Whether the device has any finding of this check that is not resolved
   * or carries a remedy, as read before the write, or the report has one:
   * otherwise the remedy loop has nothing to look at.
   */
  findingsInPlay: boolean;
  /**
   * The device's findings of this check as this write left them: each as
   * read, or as its write returned it (ALL_NEW); without those another
   * report wrote meanwhile (its own hooks see them). The remedy loop and
   * the events take them instead of reading the check's findings again.
   */
  findings: FindingItem[];
}

/** Statuses the remedy loop holds; a report keeps them (finding-updates). */
const HELD_STATUSES: readonly FindingItem['status'][] = [
  'remediating',
  'escalated',
  'suppressed',
];

/**
 * Stores one report. dynalite has no transactions, so each step is its own
 * idempotent conditional write; re-running the whole sequence after a
 * failure at any step converges to the same items:
 *
 *   putLatestCheck   CHECK#<check>, only if this report finished later
 *   readFindings     the device's findings of this check, one query
 *   openFindings     FINDING#..., only if this report is later than the
 *                    finding's last state (so a retry counts once)
 *   resolveAbsent    unresolved findings of this check missing from the
 *                    report, only if this report is later than their state
 *   putReport        REPORT#<id>, only if absent: last, so that a stored
 *                    REPORT means every step before it is done
 *
 * The findings read once choose the form of each finding write and skip
 * the writes whose condition cannot hold: `stateAtMs` only grows, so a
 * finding whose state is as new as this report stays as it is. The
 * conditions still decide; the read only saves requests. Each applied
 * finding write returns the item, so the map read once ends as the
 * writes left it, and the summary hands it on.
 * (finding-updates.ts diagrams the finding condition.)
 */
export class ReportWriter {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#table = tableName;
  }

  async write(
    report: Report,
    context: ReportContext,
    expiresAt: number,
  ): Promise<WriteSummary> {
    const checkUpdated = await this.#putLatestCheck(report, context);
    const findings = await this.#findingsOf(context.thingName, report.check);
    const findingsInPlay =
      report.findings.length > 0 ||
      [...findings.values()].some((f) => f.status !== 'resolved' || f.remedy);
    let opened = 0;
    for (const finding of report.findings) {
      if (await this.#openFinding(report, finding, context, findings)) {
        opened++;
      }
    }
    const resolved = await this.#resolveAbsent(report, context, findings);
    const reportStored = await this.#putReport(report, context, expiresAt);

    return {
      reportId: report.reportId,
      reportStored,
      checkUpdated,
      opened,
      resolved,
      findingsInPlay,
      findings: [...findings.values()],
    };
  }

  #putReport(report: Report, context: ReportContext, expiresAt: number) {
    return applied(
      putItem(this.#doc, {
        TableName: this.#table,
        Item: reportItem(report, context, expiresAt),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  #putLatestCheck(report: Report, context: ReportContext) {
    const item = checkItem(report, context);
    return applied(
      putItem(this.#doc, {
        TableName: this.#table,
        Item: item,
        ConditionExpression:
          'attribute_not_exists(pk) OR finishedAtMs < :ms OR reportId = :id',
        ExpressionAttributeValues: {
          ':ms': item.finishedAtMs,
          ':id': report.reportId,
        },
      }),
    );
  }

  /**
   * One write in the form the stored status asks for (`keep` for a status
   * the remedy loop holds, else `reopen`); the other form only if the
   * status changed since the read. At most one applies.
   */
  async #openFinding(
    report: Report,
    finding: Finding,
    context: ReportContext,
    findings: Map<string, FindingItem>,
  ) {
    const key = findingKey(context.thingName, finding);
    const known = findings.get(key.sk);
    if (known && known.stateAtMs >= Date.parse(report.finishedAt)) {
      return false;
    }
    const first: OpenForm =
      known && HELD_STATUSES.includes(known.status) ? 'keep' : 'reopen';
    const second: OpenForm = first === 'keep' ? 'reopen' : 'keep';
    for (const form of [first, second]) {
      const update = openFindingUpdate(report, finding, context, form);
      if (await this.#update(findings, update)) return true;
    }
    this.#leaveToOther(findings, key);
    return false;
  }

  async #resolveAbsent(
    report: Report,
    context: ReportContext,
    findings: Map<string, FindingItem>,
  ) {
    const present = new Set(
      report.findings.map((f) => findingKey(context.thingName, f).sk),
    );
    const finishedMs = Date.parse(report.finishedAt);
    let resolved = 0;
    for (const finding of [...findings.values()]) {
      if (finding.status === 'resolved' || present.has(finding.sk)) continue;
      if (finding.stateAtMs >= finishedMs) continue;
      const update = resolveFindingUpdate(finding, report);
      if (await this.#update(findings, update)) resolved++;
      else this.#leaveToOther(findings, update.Key);
    }
    return resolved;
  }

  /** A finding write; when it applies, its result replaces the item read. */
  async #update(
    findings: Map<string, FindingItem>,
    update: Omit<Parameters<typeof updateItem>[1], 'TableName'> & {
      Key: FindingKey;
    },
  ) {
    return appliedInto(
      updateItem(this.#doc, {
        TableName: this.#table,
        ...update,
        ReturnValues: 'ALL_NEW',
      }),
      findings,
      update.Key.sk,
    );
  }

  /**
   * A finding whose write did not apply was written since the read by
   * another report (one as new or newer, or one that resolved it first).
   * That report's own hooks run after its write and see it; this one's
   * leave it alone rather than act on the state read before it.
   */
  #leaveToOther(findings: Map<string, FindingItem>, key: FindingKey) {
    findings.delete(key.sk);
  }

  /**
   * A device's findings of one check, in any state, by sort key (one small
   * partition). Consistent, so that the skips above see the latest state.
   */
  async #findingsOf(thingName: string, check: Report['check']) {
    const items = new Map<string, FindingItem>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await queryItems(this.#doc, {
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: '#check = :check',
        ExpressionAttributeNames: { '#check': 'check' },
        ExpressionAttributeValues: {
          ':pk': keys.device(thingName),
          ':prefix': 'FINDING#',
          ':check': check,
        },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      });
      for (const item of page.Items as FindingItem[]) {
        items.set(item.sk, item);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }
}
