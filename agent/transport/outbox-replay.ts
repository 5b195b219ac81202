import type { OutboxMessage } from './outbox.js';
import type { JournalRecord } from './outbox-journal.js';

/** What a journal says once read from start to end. */
export interface Replayed {
  puts: Map<number, Extract<JournalRecord, { t: 'put' }>>;
  receipts: string[];
  nextSeq: number;
  dropped: number;
  dead: number;
}

/**
 * Folds journal records into the queued messages (puts without an ack or a
 * drop, in order), the receipts, the next sequence number, the dropped
 * count, and how many records are dead (delivered or dropped) and could be
 * compacted away.
 */
export function replay(records: JournalRecord[]): Replayed {
  const state: Replayed = {
    puts: new Map(),
    receipts: [],
    nextSeq: 1,
    dropped: 0,
    dead: 0,
  };
  for (const record of records) {
    if (record.t === 'meta') {
      state.nextSeq = Math.max(state.nextSeq, record.nextSeq);
      state.receipts.push(...record.receipts);
      state.dropped = record.dropped ?? 0;
      continue;
    }
    state.nextSeq = Math.max(state.nextSeq, record.seq + 1);
    if (record.t === 'put') {
      state.puts.set(record.seq, record);
      if (record.receipt) state.receipts.push(record.receipt);
      continue;
    }
    if (record.t === 'drop') state.dropped++;
    state.puts.delete(record.seq);
    state.dead += 2;
  }
  return state;
}

export function putRecord(seq: number, message: OutboxMessage): JournalRecord {
  return {
    t: 'put',
    seq,
    topic: message.topic,
    payload: message.payload,
    ...(message.receipt ? { receipt: message.receipt } : {}),
    ...(message.group ? { group: message.group } : {}),
    ...(message.routine ? { routine: true } : {}),
  };
}

export function messageOf(
  put: Extract<JournalRecord, { t: 'put' }>,
): OutboxMessage {
  const { t: _t, seq: _seq, ...message } = put;
  return message;
}
