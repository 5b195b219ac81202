import { describe, expect, it } from 'vitest';
import { decideTicket, type TicketState } from './ticket.js';

const H = 3_600_000;
const options = { windowMs: 24 * H, newTicketId: 'T2' };

function ticket(fields: Partial<TicketState> = {}): TicketState {
  return {
    id: 'T1',
    present: true,
    flapping: false,
    escalated: false,
    atMs: 0,
    rev: 1,
    ...fields,
  };
}

describe('decideTicket', () => {
  it.each([
    {
      name: 'opens a ticket for a new finding',
      before: undefined,
      finding: { status: 'open', stateAtMs: 5 },
      kinds: ['opened'],
      next: { id: 'T2', present: true, rev: 1 },
    },
    {
      name: 'opens and escalates a finding escalated at once (alert only)',
      before: undefined,
      finding: { status: 'escalated', stateAtMs: 5 },
      kinds: ['opened', 'escalated'],
      next: { id: 'T2', escalated: true },
    },
    {
      name: 'resolves an open ticket',
      before: ticket(),
      finding: { status: 'resolved', stateAtMs: 2 * H },
      kinds: ['resolved'],
      next: { present: false, resolvedAtMs: 2 * H, rev: 2 },
    },
    {
      name: 'notes flapping when it returns within the window',
      before: ticket({ present: false, resolvedAtMs: 2 * H, atMs: 2 * H }),
      finding: { status: 'open', stateAtMs: 3 * H },
      kinds: ['escalated'],
      next: { id: 'T1', present: true, flapping: true },
    },
    {
      name: 'stays quiet when a flapping ticket returns again',
      before: ticket({
        present: false,
        flapping: true,
        resolvedAtMs: 4 * H,
        atMs: 4 * H,
      }),
      finding: { status: 'open', stateAtMs: 5 * H },
      kinds: [],
      next: { present: true, flapping: true },
    },
    {
      name: 'opens a new ticket after the window',
      before: ticket({ present: false, resolvedAtMs: 0, flapping: true }),
      finding: { status: 'open', stateAtMs: 25 * H },
      kinds: ['opened'],
      next: { id: 'T2', flapping: false, rev: 2 },
    },
    {
      name: 'escalates a present ticket once for the remedy loop',
      before: ticket(),
      finding: { status: 'escalated', stateAtMs: 0 },
      kinds: ['escalated'],
      next: { escalated: true, rev: 2 },
    },
  ] as const)('$name', ({ before, finding, kinds, next }) => {
    const decision = decideTicket(before, finding, options);

    expect(decision.emissions.map((e) => e.kind)).toEqual(kinds);
    expect(decision.next).toMatchObject(next);
  });

  it('schedules the resolution of a flapping ticket a window later', () => {
    const decision = decideTicket(
      ticket({ flapping: true }),
      { status: 'resolved', stateAtMs: 10 * H },
      options,
    );

    expect(decision.emissions).toEqual([
      { kind: 'resolved', reason: 'stable', atMs: 10 * H, dueMs: 34 * H },
    ]);
  });

  it('changes nothing for an older view or an unchanged finding', () => {
    const current = ticket({ atMs: 5 * H, escalated: true });

    expect(
      decideTicket(current, { status: 'resolved', stateAtMs: 4 * H }, options),
    ).toEqual({ emissions: [] });
    expect(
      decideTicket(current, { status: 'escalated', stateAtMs: 5 * H }, options),
    ).toEqual({ emissions: [] });
    expect(
      decideTicket(undefined, { status: 'resolved', stateAtMs: 1 }, options),
    ).toEqual({ emissions: [] });
  });
});
