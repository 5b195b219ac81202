import { PATCH_ENTRIES } from '../../../core/catalogue/patches.js';
import { WINDOWS_UPDATE_ENTRIES } from '../../../core/catalogue/windows-update.js';
import {
  EVENT_SCHEMA_VERSION,
  type UpkeepEvent,
} from '../../../core/events.js';
import type { FindingItem } from '../items.js';
import type { ClosedAttempt } from '../remedy-items.js';
import { attemptsOf, eventFinding } from './event-details.js';
import { transitionEventId } from './event-id.js';
import type { TicketedFinding } from './finding-events.js';
import type { TicketDecision } from './ticket.js';

/**
 * The codes of Patch Doctor's catalogues: core/catalogue/patches.ts and
 * windows-update.ts, which holds windows-update-results.ts. Only the
 * Windows Update entries (`wu.*`) have chains today; a `patch.*` finding
 * escalates `no-remedy` or `policy-alert`, which never counts below.
 */
const PATCH_CODES: ReadonlySet<string> = new Set(
  [...PATCH_ENTRIES, ...WINDOWS_UPDATE_ENTRIES].map((entry) => entry.code),
);

/**
 * The escalations that end a chain that ran: every step tried
 * (`chain-end`), the policy's `maxAttempts` reached, or the next step
 * a ticket for a human (`human-step`: the automatic remedies are spent).
 */
const EXHAUSTED_BY: ReadonlySet<string> = new Set([
  'chain-end',
  'max-attempts',
  'human-step',
]);

const KB = /\bKB(\d{5,8})\b/i;

/** A Patch Doctor chain that ended without a fix, as the finding shows. */
export interface Exhaustion {
  /** The finding's occurrence whose chain ended. */
  occurrence: number;
  /** When the chain ended (the escalation's time), ms. */
  atMs: number;
  /** The jobs of that occurrence, oldest first. */
  attempts: ClosedAttempt[];
  /** The update that would not install, when the finding names it. */
  kb?: string;
}

/**
 * Whether a stored finding is a patch remediation that ran out: a code of
 * the patch or Windows Update catalogue, escalated by the remedy loop for
 * one of EXHAUSTED_BY, after at least one job of this occurrence. An
 * alert-only, refused (`rejected`) or canceled escalation, or a chain that
 * starts with a ticket, is not: no remedy ran to its end.
 */
export function remediationExhaustion(
  item: FindingItem,
): Exhaustion | undefined {
  const { escalation } = item;
  if (item.status !== 'escalated' || !escalation) return undefined;
  if (!PATCH_CODES.has(item.code) || !EXHAUSTED_BY.has(escalation.reason)) {
    return undefined;
  }
  const { occurrence } = escalation;
  const attempts = (item.attempts ?? []).filter(
    (a) => a.occurrence === occurrence,
  );
  if (attempts.length === 0) return undefined;
  const kb = kbOf(item);
  return {
    occurrence,
    atMs: Date.parse(escalation.escalatedAt),
    attempts,
    ...(kb ? { kb } : {}),
  };
}

/**
 * The KB a finding names: `detail.kb` (the agent's failed-install
 * findings), else its subject, the update's title.
 */
export function kbOf(item: Pick<FindingItem, 'detail' | 'subject'>) {
  const fromDetail = item.detail?.kb;
  const match =
    (typeof fromDetail === 'string' ? KB.exec(fromDetail) : null) ??
    KB.exec(item.subject);
  return match ? `KB${match[1]}` : undefined;
}

/**
 * Adds, once per occurrence, the exhaustion to a ticket decision: the
 * ticket keeps the occurrence it was sent for (`exhausted`), so a repeat
 * decides nothing new, and the event goes out through the outbox with the
 * ticket's other events.
 */
export function withExhaustion(
  item: TicketedFinding,
  decision: TicketDecision,
): TicketDecision & { exhausted?: Exhaustion } {
  const exhausted = remediationExhaustion(item);
  const ticket = decision.next ?? item.ticket;
  if (!exhausted || !ticket || ticket.exhausted === exhausted.occurrence) {
    return decision;
  }
  const next = decision.next
    ? { ...decision.next, exhausted: exhausted.occurrence }
    : { ...ticket, exhausted: exhausted.occurrence, rev: ticket.rev + 1 };
  return { ...decision, next, exhausted };
}

/**
 * `patch.remediation-exhausted` for one occurrence. Its id comes from the
 * finding and the occurrence, so a second reconcile writes nothing new to
 * the outbox.
 */
export function remediationExhaustedEvent(
  item: FindingItem,
  exhausted: Exhaustion,
  ticketId: string,
): UpkeepEvent {
  const id = transitionEventId(
    exhausted.atMs,
    `${item.pk}|${item.sk}|patch.remediation-exhausted|${exhausted.occurrence}`,
  );
  return {
    version: EVENT_SCHEMA_VERSION,
    id,
    type: 'patch.remediation-exhausted',
    occurredAt: new Date(exhausted.atMs).toISOString(),
    clientId: item.clientId,
    device: { thingName: item.thingName },
    ticketId,
    finding: eventFinding(item),
    attempts: attemptsOf({ ...item, attempts: exhausted.attempts }),
    ...(exhausted.kb ? { kb: exhausted.kb } : {}),
  };
}
