import type {
  EventFinding,
  RemedyAttemptSummary,
  UpkeepEvent,
} from '../../../core/events.js';
import { EVENT_SCHEMA_VERSION } from '../../../core/events.js';
import type { FindingItem } from '../items.js';
import type { ClosedAttempt } from '../remedy-items.js';
import { transitionEventId } from './event-id.js';
import type { Emission } from './ticket.js';

/** The finding the sweep raises for a missed cycle (lambdas/sweep). */
export const MISSED_MAINTENANCE_CODE = 'maintenance.missed';

/** What an event says of its finding. */
export function eventFinding(item: FindingItem): EventFinding {
  return {
    code: item.code,
    subject: item.subject,
    severity: item.severity,
    title: item.title,
    check: item.check,
    ...(item.hresult ? { hresult: item.hresult } : {}),
  };
}

/** What was tried, oldest first, as events carry it. */
export function attemptsOf(item: FindingItem): RemedyAttemptSummary[] {
  const closed: ClosedAttempt[] = item.attempts ?? [];
  return closed.slice(-50).map((a) => ({
    remedy: a.remedy,
    jobId: a.jobId,
    attempt: a.attempt,
    outcome: a.outcome,
    issuedAt: a.issuedAt,
    closedAt: a.closedAt,
  }));
}

/** The seed of an event id: the finding, the ticket and what happened. */
export function emissionSeed(item: FindingItem, e: Emission, ticketId = '') {
  const reason = 'reason' in e ? e.reason : '';
  return `${item.pk}|${item.sk}|${ticketId}|${e.kind}|${reason}|${e.atMs}`;
}

/** The id of the event that opens a ticket at `atMs`: the ticket's id. */
export function openedEventId(item: FindingItem, atMs: number) {
  return transitionEventId(atMs, emissionSeed(item, { kind: 'opened', atMs }));
}

/** The event detail of one ticket emission. */
export function emissionDetail(
  item: FindingItem,
  emission: Emission,
  ticketId: string,
  windowMs: number,
): UpkeepEvent {
  const common = {
    version: EVENT_SCHEMA_VERSION,
    id:
      emission.kind === 'opened'
        ? openedEventId(item, emission.atMs)
        : transitionEventId(
            emission.atMs,
            emissionSeed(item, emission, ticketId),
          ),
    occurredAt: new Date(emission.atMs).toISOString(),
    clientId: item.clientId,
    device: { thingName: item.thingName },
    ticketId,
    finding: eventFinding(item),
    attempts: attemptsOf(item),
  } as const;

  if (emission.kind === 'opened') {
    return item.code === MISSED_MAINTENANCE_CODE
      ? { ...common, type: 'device.missed-maintenance', kind: item.subject }
      : { ...common, type: 'finding.opened' };
  }
  if (emission.kind === 'resolved') {
    return { ...common, type: 'finding.resolved', reason: emission.reason };
  }
  if (emission.reason === 'flapping') {
    return {
      ...common,
      type: 'finding.escalated',
      reason: 'flapping',
      flapping: {
        resolvedAt: new Date(emission.resolvedAtMs).toISOString(),
        reopenedAt: common.occurredAt,
        windowSeconds: Math.round(windowMs / 1000),
      },
    };
  }
  return {
    ...common,
    type: 'finding.escalated',
    reason: 'remedy-loop',
    ...(item.escalation?.reason ? { detail: item.escalation.reason } : {}),
  };
}
