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
 *
 * Two forms share that condition (docs/remedies.md): `reopen` applies to a
 * new, open or resolved finding and makes it open (a resolved one starts a
 * new occurrence); `keep` applies to a finding the remedy loop holds
 * (remediating, escalated, suppressed) and leaves its status alone. The
 * writer tries `reopen`, then `keep`; at most one applies.
 */
export type OpenForm = 'reopen' | 'keep';

export function openFindingUpdate(
  report: Report,
  finding: Finding,
  context: ReportContext,
  form: OpenForm = 'reopen',
) {
  const set = [
    'thingName = :thing',
    'clientId = :client',
    '#check = :check',
    'code = :code',
    'subject = :subject',
    'severity = :severity',
    'title = :title',
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
  if (form === 'reopen') {
    set.push('#status = :open', 'openedAt = if_not_exists(openedAt, :seen)');
    values[':open'] = 'open';
    values[':resolved'] = 'resolved';
  } else {
    values[':remediating'] = 'remediating';
    values[':escalated'] = 'escalated';
    values[':suppressed'] = 'suppressed';
  }
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
    ConditionExpression:
      form === 'reopen'
        ? 'attribute_not_exists(pk) OR ' +
          '(stateAtMs < :ms AND #status IN (:open, :resolved))'
        : 'stateAtMs < :ms AND ' +
          '#status IN (:remediating, :escalated, :suppressed)',
    ExpressionAttributeNames: { '#check': 'check', '#status': 'status' },
    ExpressionAttributeValues: values,
  };
}

/**
 * Resolves a finding, in whatever unresolved state, that a later report of
 * its check lacks; `resolutions` counts the occurrences that ended.
 */
export function resolveFindingUpdate(finding: FindingItem, report: Report) {
  return {
    Key: { pk: finding.pk, sk: finding.sk },
    UpdateExpression:
      'SET #status = :resolved, resolvedAt = :at, ' +
      'resolvedByReportId = :id, stateAtMs = :ms ADD resolutions :one ' +
      'REMOVE gsi1pk, gsi1sk, openedAt',
    ConditionExpression: '#status <> :resolved AND stateAtMs < :ms',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':resolved': 'resolved',
      ':one': 1,
      ':at': report.finishedAt,
      ':id': report.reportId,
      ':ms': Date.parse(report.finishedAt),
    },
  };
}
