import type { Finding } from '../../core/schemas/finding.js';
import type { Report } from '../../core/schemas/report.js';
import { keys } from '../../core/table.js';
import { type FindingItem, findingKey, type ReportContext } from './items.js';

/**
 * UpdateItem inputs (without TableName) for finding state changes. Each is
 * conditioned on `stateAtMs`, the finish time of the report that last set
 * the finding's state:
 *
 *   report finished  t1        t2 (later)        t2 again (redelivery)
 *   FINDING state    open@t1   open@t2, +1 seen  condition fails: no change
 *
 * so a redelivered or older report never counts twice nor reopens.
 */
export function openFindingUpdate(
  report: Report,
  finding: Finding,
  context: ReportContext,
) {
  const set = [
    'thingName = :thing',
    'clientId = :client',
    '#check = :check',
    'code = :code',
    'subject = :subject',
    'severity = :severity',
    'title = :title',
    '#status = :open',
    'firstSeenAt = if_not_exists(firstSeenAt, :seen)',
    'lastSeenAt = :seen',
    'lastReportId = :id',
    'stateAtMs = :ms',
    'gsi1pk = :gpk',
    'gsi1sk = :gsk',
  ];
  const remove = ['resolvedAt', 'resolvedByReportId'];
  const values: Record<string, unknown> = {
    ':thing': context.thingName,
    ':client': context.clientId,
    ':check': report.check,
    ':code': finding.code,
    ':subject': finding.subject,
    ':severity': finding.severity,
    ':title': finding.title,
    ':open': 'open',
    ':seen': report.finishedAt,
    ':id': report.reportId,
    ':ms': Date.parse(report.finishedAt),
    ':gpk': keys.client(context.clientId),
    ':gsk': keys.clientFinding(
      context.thingName,
      finding.code,
      finding.subject,
    ),
    ':one': 1,
  };
  for (const name of ['hresult', 'detail'] as const) {
    if (finding[name] === undefined) {
      remove.push(name);
    } else {
      set.push(`${name} = :${name}`);
      values[`:${name}`] = finding[name];
    }
  }

  return {
    Key: findingKey(context.thingName, finding),
    UpdateExpression:
      `SET ${set.join(', ')} ADD occurrences :one ` +
      `REMOVE ${remove.join(', ')}`,
    ConditionExpression: 'attribute_not_exists(pk) OR stateAtMs < :ms',
    ExpressionAttributeNames: { '#check': 'check', '#status': 'status' },
    ExpressionAttributeValues: values,
  };
}

/** Resolves an open finding that a later report of its check lacks. */
export function resolveFindingUpdate(finding: FindingItem, report: Report) {
  return {
    Key: { pk: finding.pk, sk: finding.sk },
    UpdateExpression:
      'SET #status = :resolved, resolvedAt = :at, ' +
      'resolvedByReportId = :id, stateAtMs = :ms REMOVE gsi1pk, gsi1sk',
    ConditionExpression: '#status = :open AND stateAtMs < :ms',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':resolved': 'resolved',
      ':open': 'open',
      ':at': report.finishedAt,
      ':id': report.reportId,
      ':ms': Date.parse(report.finishedAt),
    },
  };
}
