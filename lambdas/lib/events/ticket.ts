import type { FindingStatus } from '../items.js';

/**
 * The ticket a PSA keeps for one finding, as Upkeep tracks it on the
 * FINDING item (`ticket`). Pure: the caller reads the finding, asks
 * `decideTicket` what to send, and stores `next` with a compare-and-set on
 * `rev`. Flapping (docs/events.md):
 *
 *   open ─▶ opened      resolve ─▶ resolved      reopen within window
 *                                                 ─▶ escalated(flapping)
 *   (flapping) resolve ─▶ nothing now; resolved(stable) is scheduled at
 *              resolve + window and dropped if it reopens before then
 *   reopen after the window ─▶ a new ticket: opened
 */
export interface TicketState {
  /** The id of the finding.opened event that started the ticket. */
  id: string;
  /** Unresolved at the last reconcile. */
  present: boolean;
  flapping: boolean;
  /** A remedy-loop escalation was sent for this ticket. */
  escalated: boolean;
  /**
   * The finding occurrence whose patch.remediation-exhausted was sent
   * (patch-events.ts); absent while none was.
   */
  exhausted?: number;
  /** The finding's stateAtMs at the last reconcile. */
  atMs: number;
  /** When it last resolved, ms (absent while it never did). */
  resolvedAtMs?: number;
  /** Bumped on every change; the compare-and-set key. */
  rev: number;
}

export interface FindingView {
  status: FindingStatus;
  stateAtMs: number;
}

export type Emission =
  | { kind: 'opened'; atMs: number }
  | { kind: 'escalated'; reason: 'remedy-loop'; atMs: number }
  | {
      kind: 'escalated';
      reason: 'flapping';
      atMs: number;
      resolvedAtMs: number;
    }
  | { kind: 'resolved'; reason: 'gone'; atMs: number }
  /** Sent at `dueMs` unless the ticket came back before then. */
  | { kind: 'resolved'; reason: 'stable'; atMs: number; dueMs: number };

export interface TicketDecision {
  emissions: Emission[];
  /** Undefined when nothing changes (no write). */
  next?: TicketState;
}

export function decideTicket(
  ticket: TicketState | undefined,
  finding: FindingView,
  options: { windowMs: number; newTicketId: string },
): TicketDecision {
  const present = finding.status !== 'resolved';
  const at = finding.stateAtMs;
  if (ticket && at < ticket.atMs) return { emissions: [] };

  if (
    !ticket ||
    (!ticket.present && present && isNewTicket(ticket, at, options))
  ) {
    if (!present) return { emissions: [] };
    return withEscalation(finding, [{ kind: 'opened', atMs: at }], {
      id: options.newTicketId,
      present: true,
      flapping: false,
      escalated: false,
      atMs: at,
      rev: (ticket?.rev ?? 0) + 1,
    });
  }

  if (ticket.present && !present) {
    const next = { ...ticket, present: false, resolvedAtMs: at, atMs: at };
    const emission: Emission = ticket.flapping
      ? {
          kind: 'resolved',
          reason: 'stable',
          atMs: at,
          dueMs: at + options.windowMs,
        }
      : { kind: 'resolved', reason: 'gone', atMs: at };
    return { emissions: [emission], next: bump(next, ticket) };
  }

  if (!ticket.present && present) {
    const next = { ...ticket, present: true, flapping: true, atMs: at };
    const emissions: Emission[] = ticket.flapping
      ? []
      : [
          {
            kind: 'escalated',
            reason: 'flapping',
            atMs: at,
            resolvedAtMs: ticket.resolvedAtMs ?? at,
          },
        ];
    return withEscalation(finding, emissions, bump(next, ticket));
  }

  if (present) return withEscalation(finding, [], ticket, true);
  return { emissions: [] };
}

function isNewTicket(
  ticket: TicketState,
  at: number,
  options: { windowMs: number },
) {
  return at - (ticket.resolvedAtMs ?? ticket.atMs) > options.windowMs;
}

/** One remedy-loop escalation per ticket, whenever the status shows it. */
function withEscalation(
  finding: FindingView,
  emissions: Emission[],
  next: TicketState,
  unchanged = false,
): TicketDecision {
  if (finding.status !== 'escalated' || next.escalated) {
    return unchanged ? { emissions } : { emissions, next };
  }
  const escalated: Emission = {
    kind: 'escalated',
    reason: 'remedy-loop',
    atMs: finding.stateAtMs,
  };
  const state = { ...next, escalated: true };
  return {
    emissions: [...emissions, escalated],
    next: unchanged ? bump(state, next) : state,
  };
}

function bump(next: TicketState, previous: TicketState): TicketState {
  return { ...next, rev: previous.rev + 1 };
}
