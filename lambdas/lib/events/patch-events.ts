import { EVENT_SCHEMA_VERSION } from '../../../core/events.js';
import type { FindingItem } from '../items.js';
import { attemptsOf, eventFinding } from './event-details.js';
import { transitionEventId } from './event-id.js';
import type { EventSender } from './event-sender.js';
import type { TicketedFinding } from './finding-events.js';

export interface RemediationExhausted {
  /** The FINDING item as it stands after the last attempt closed. */
  finding: FindingItem;
  /** When the chain ended, ms. */
  atMs: number;
  /** The update that would not install, when known (KB1234567). */
  kb?: string;
}

/**
 * Publishes `patch.remediation-exhausted` when Patch Doctor's chain for an
 * update failure ends without a fix. Call it after the finding's final
 * state is stored; calling it again for the same occurrence sends nothing
 * (the id comes from the finding and its occurrence). Resolves true when
 * the event was new.
 */
export async function publishRemediationExhausted(
  sender: EventSender,
  input: RemediationExhausted,
): Promise<boolean> {
  const item = input.finding as TicketedFinding;
  const occurrence = (item.resolutions ?? 0) + 1;
  const id = transitionEventId(
    input.atMs,
    `${item.pk}|${item.sk}|patch.remediation-exhausted|${occurrence}`,
  );
  const sent = await sender.send([
    {
      detail: {
        version: EVENT_SCHEMA_VERSION,
        id,
        type: 'patch.remediation-exhausted',
        occurredAt: new Date(input.atMs).toISOString(),
        clientId: item.clientId,
        device: { thingName: item.thingName },
        ticketId: item.ticket?.id ?? id,
        finding: eventFinding(item),
        attempts: attemptsOf(item),
        ...(input.kb ? { kb: input.kb } : {}),
      },
    },
  ]);
  return sent.length > 0;
}
