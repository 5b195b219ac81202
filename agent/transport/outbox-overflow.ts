/**
 * What a full outbox gives up to take one more message (pure):
 *
 *   1. the oldest routine message whose group has a newer message queued
 *      (a newer report of the same check makes an old routine one stale);
 *   2. then the oldest non-routine (on-demand, job) message with a newer
 *      one of its group;
 *   3. never the only message of a group: when nothing else can go, the new
 *      message is refused instead, and its run is not counted as done.
 */
export interface OverflowItem {
  seq: number;
  group: string;
  routine: boolean;
  bytes: number;
}

export interface OverflowLimits {
  maxRecords: number;
  maxBytes: number;
}

export type OverflowDecision =
  | { accept: true; drop: OverflowItem[] }
  | { accept: false; drop: [] };

export function decideOverflow(
  queued: readonly OverflowItem[],
  incoming: OverflowItem,
  limits: OverflowLimits,
): OverflowDecision {
  const kept = [...queued, incoming];
  const drop: OverflowItem[] = [];
  let bytes = kept.reduce((sum, item) => sum + item.bytes, 0);

  while (kept.length > limits.maxRecords || bytes > limits.maxBytes) {
    const victim = pickVictim(kept, true) ?? pickVictim(kept, false);
    if (!victim) return { accept: false, drop: [] };

    kept.splice(kept.indexOf(victim), 1);
    bytes -= victim.bytes;
    drop.push(victim);
  }
  return { accept: true, drop };
}

function pickVictim(items: readonly OverflowItem[], routine: boolean) {
  const newest = new Map<string, number>();
  for (const item of items) newest.set(item.group, item.seq);

  return items.find(
    (item) => item.routine === routine && newest.get(item.group) !== item.seq,
  );
}
