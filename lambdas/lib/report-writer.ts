import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Finding } from '../../core/schemas/finding.js';
import type { Report } from '../../core/schemas/report.js';
import { keys } from '../../core/table.js';
import { applied } from './conditional.js';
import { openFindingUpdate, resolveFindingUpdate } from './finding-updates.js';
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
}

/**
 * Stores one report. dynalite has no transactions, so each step is its own
 * idempotent conditional write; re-running the whole sequence after a
 * failure at any step converges to the same items:
 *
 *   putReport        REPORT#<id>, only if absent
 *   putLatestCheck   CHECK#<check>, only if this report finished later
 *   openFindings     FINDING#..., only if this report is later than the
 *                    finding's last state (so a retry counts once)
 *   resolveAbsent    open findings of this check missing from the report,
 *                    only if this report is later than their last state
 *
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
    const reportStored = await this.#putReport(report, context, expiresAt);
    const checkUpdated = await this.#putLatestCheck(report, context);
    let opened = 0;
    for (const finding of report.findings) {
      if (await this.#openFinding(report, finding, context)) opened++;
    }
    const resolved = await this.#resolveAbsent(report, context);

    return {
      reportId: report.reportId,
      reportStored,
      checkUpdated,
      opened,
      resolved,
    };
  }

  #putReport(report: Report, context: ReportContext, expiresAt: number) {
    return applied(
      this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: reportItem(report, context, expiresAt),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  #putLatestCheck(report: Report, context: ReportContext) {
    const item = checkItem(report, context);
    return applied(
      this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: item,
          ConditionExpression:
            'attribute_not_exists(pk) OR finishedAtMs < :ms OR reportId = :id',
          ExpressionAttributeValues: {
            ':ms': item.finishedAtMs,
            ':id': report.reportId,
          },
        }),
      ),
    );
  }

  /** `reopen`, else `keep` (finding-updates.ts): at most one applies. */
  async #openFinding(report: Report, finding: Finding, context: ReportContext) {
    for (const form of ['reopen', 'keep'] as const) {
      const update = openFindingUpdate(report, finding, context, form);
      const done = await applied(
        this.#doc.send(
          new UpdateCommand({ TableName: this.#table, ...update }),
        ),
      );
      if (done) return true;
    }
    return false;
  }

  async #resolveAbsent(report: Report, context: ReportContext) {
    const present = new Set(
      report.findings.map((f) => findingKey(context.thingName, f).sk),
    );
    const open = await this.#openFindingsOf(context.thingName, report.check);
    let resolved = 0;
    for (const finding of open) {
      if (present.has(finding.sk)) continue;
      if (await this.#resolve(finding, report)) resolved++;
    }
    return resolved;
  }

  #resolve(finding: FindingItem, report: Report) {
    const update = resolveFindingUpdate(finding, report);
    return applied(
      this.#doc.send(new UpdateCommand({ TableName: this.#table, ...update })),
    );
  }

  /** A device's unresolved findings of one check (one small partition). */
  async #openFindingsOf(thingName: string, check: Report['check']) {
    const items: FindingItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#doc.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          FilterExpression: '#check = :check AND #status <> :resolved',
          ExpressionAttributeNames: { '#check': 'check', '#status': 'status' },
          ExpressionAttributeValues: {
            ':pk': keys.device(thingName),
            ':prefix': 'FINDING#',
            ':check': check,
            ':resolved': 'resolved',
          },
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...((page.Items ?? []) as FindingItem[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }
}
