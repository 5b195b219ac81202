import * as z from 'zod';
import { keys } from '../../core/table.js';
import { overdueDefaults, type Presence } from './overdue.js';

/**
 * IoT Core lifecycle events, as the presence rule delivers them
 * (`SELECT * FROM '$aws/events/presence/+/+'`), and the device's presence
 * kept on its META item. Events may come out of order or twice; the write
 * keeps the one with the latest timestamp.
 * https://docs.aws.amazon.com/iot/latest/developerguide/life-cycle-events.html
 */
export const lifecycleEventSchema = z.object({
  eventType: z.enum(['connected', 'disconnected']),
  clientId: z.string().min(1),
  /** ms since the epoch */
  timestamp: z.number().int().nonnegative(),
  clientInitiatedDisconnect: z.boolean().optional(),
  disconnectReason: z.string().optional(),
});

export type LifecycleEvent = z.infer<typeof lifecycleEventSchema>;

/** What META keeps: the latest lifecycle event of the device. */
export interface PresenceRecord {
  state: 'connected' | 'disconnected';
  atMs: number;
  /** Disconnects: the client sent DISCONNECT (a clean shutdown). */
  clean?: boolean;
  reason?: string;
}

export function presenceRecord(event: LifecycleEvent): PresenceRecord {
  if (event.eventType === 'connected') {
    return { state: 'connected', atMs: event.timestamp };
  }
  const clean =
    event.clientInitiatedDisconnect === true ||
    event.disconnectReason === 'CLIENT_INITIATED_DISCONNECT';
  return {
    state: 'disconnected',
    atMs: event.timestamp,
    clean,
    ...(event.disconnectReason ? { reason: event.disconnectReason } : {}),
  };
}

/** The UpdateItem input (without TableName) that stores a presence. */
export function presenceUpdate(thingName: string, record: PresenceRecord) {
  return {
    Key: { pk: keys.device(thingName), sk: keys.meta() },
    UpdateExpression: 'SET presence = :presence, presenceAtMs = :at',
    ConditionExpression:
      'attribute_exists(pk) AND ' +
      '(attribute_not_exists(presenceAtMs) OR presenceAtMs < :at)',
    ExpressionAttributeValues: { ':presence': record, ':at': record.atMs },
  };
}

/**
 * How the device left, from its META: the lifecycle record when there is
 * one, otherwise how recently a message of it arrived.
 */
export function presenceOf(
  meta: { presence?: PresenceRecord; lastSeenMs?: number },
  now: number,
): { presence: Presence; sinceMs?: number } {
  const record = meta.presence;
  if (record?.state === 'connected') {
    return { presence: 'online', sinceMs: record.atMs };
  }
  if (record?.state === 'disconnected') {
    const presence = record.clean ? 'clean-shutdown' : 'connection-lost';
    return { presence, sinceMs: record.atMs };
  }
  if (meta.lastSeenMs === undefined) return { presence: 'unknown' };
  return now - meta.lastSeenMs <= overdueDefaults.onlineWithinMs
    ? { presence: 'online', sinceMs: meta.lastSeenMs }
    : { presence: 'connection-lost', sinceMs: meta.lastSeenMs };
}
