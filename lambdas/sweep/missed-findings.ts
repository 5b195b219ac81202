import { catalogueEntry } from '../../core/index.js';
import { keys } from '../../core/table.js';
import type { OverdueKind, Presence } from './overdue.js';

/**
 * The `maintenance.missed` finding of one device and cycle kind, written
 * by the sweep (docs/data-model.md FINDING items). Its `check` is `sweep`:
 * no report carries that check, so ingest never resolves it; the sweep
 * does, once a run of the kind is seen again.
 */
export const MISSED_CODE = 'maintenance.missed';
export const SWEEP_CHECK = 'sweep';

export interface MissedContext {
  thingName: string;
  clientId: string;
  presence: Presence;
  presenceSinceMs?: number;
  now: number;
}

function findingKey(thingName: string, kind: string) {
  return {
    pk: keys.device(thingName),
    sk: keys.finding(MISSED_CODE, kind),
  };
}

/** Opens (or counts again) the finding for an overdue kind. */
export function openMissedUpdate(missed: OverdueKind, c: MissedContext) {
  const at = new Date(c.now).toISOString();
  const entry = catalogueEntry(MISSED_CODE);
  const detail = {
    windowDueAt: new Date(missed.dueAt).toISOString(),
    windowEndsAt: new Date(missed.windowEndsAt).toISOString(),
    lastCompletedAt:
      missed.lastCompletedMs === undefined
        ? null
        : new Date(missed.lastCompletedMs).toISOString(),
    presence: c.presence,
    presenceSince:
      c.presenceSinceMs === undefined
        ? null
        : new Date(c.presenceSinceMs).toISOString(),
  };
  return {
    Key: findingKey(c.thingName, missed.kind),
    UpdateExpression:
      'SET thingName = :thing, clientId = :client, #check = :check, ' +
      'code = :code, subject = :subject, severity = :severity, ' +
      'title = :title, detail = :detail, #status = :open, ' +
      'firstSeenAt = if_not_exists(firstSeenAt, :at), lastSeenAt = :at, ' +
      'lastReportId = :by, stateAtMs = :ms, gsi1pk = :gpk, gsi1sk = :gsk ' +
      'ADD occurrences :one REMOVE resolvedAt, resolvedByReportId',
    ConditionExpression: 'attribute_not_exists(pk) OR stateAtMs < :ms',
    ExpressionAttributeNames: { '#check': 'check', '#status': 'status' },
    ExpressionAttributeValues: {
      ':thing': c.thingName,
      ':client': c.clientId,
      ':check': SWEEP_CHECK,
      ':code': MISSED_CODE,
      ':subject': missed.kind,
      ':severity': entry?.severity ?? 'warning',
      ':title': entry?.title ?? 'A maintenance cycle was missed',
      ':detail': detail,
      ':open': 'open',
      ':at': at,
      ':by': SWEEP_CHECK,
      ':ms': c.now,
      ':gpk': keys.client(c.clientId),
      ':gsk': keys.clientFinding(c.thingName, MISSED_CODE, missed.kind),
      ':one': 1,
    },
  };
}

/** Resolves the finding of a kind that ran again. */
export function resolveMissedUpdate(
  thingName: string,
  kind: string,
  now: number,
) {
  return {
    Key: findingKey(thingName, kind),
    UpdateExpression:
      'SET #status = :resolved, resolvedAt = :at, ' +
      'resolvedByReportId = :by, stateAtMs = :ms REMOVE gsi1pk, gsi1sk',
    ConditionExpression: '#status = :open AND stateAtMs < :ms',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':resolved': 'resolved',
      ':open': 'open',
      ':at': new Date(now).toISOString(),
      ':by': SWEEP_CHECK,
      ':ms': now,
    },
  };
}

/** The kinds with an open finding, kept on META for the next sweep. */
export function missedKindsUpdate(thingName: string, kinds: string[]) {
  return {
    Key: { pk: keys.device(thingName), sk: keys.meta() },
    UpdateExpression: 'SET missedKinds = :kinds',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: { ':kinds': kinds },
  };
}
