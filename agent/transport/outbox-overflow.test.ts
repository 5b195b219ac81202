import { describe, expect, it } from 'vitest';
import { decideOverflow, type OverflowItem } from './outbox-overflow.js';

const item = (seq: number, group: string, routine = true, bytes = 100) =>
  ({ seq, group, routine, bytes }) as OverflowItem;
const limits = { maxRecords: 3, maxBytes: 10_000 };

describe('decideOverflow', () => {
  it('takes a message while there is room', () => {
    const decision = decideOverflow(
      [item(1, 'smart')],
      item(2, 'smart'),
      limits,
    );

    expect(decision).toEqual({ accept: true, drop: [] });
  });

  it('drops the oldest routine message of a group that has a newer one', () => {
    const queued = [item(1, 'smart'), item(2, 'disk'), item(3, 'disk')];

    const decision = decideOverflow(queued, item(4, 'smart'), limits);

    expect(decision.drop.map((d) => d.seq)).toEqual([1]);
  });

  it('drops routine messages before on-demand ones', () => {
    const queued = [
      item(1, 'smart', false),
      item(2, 'smart', false),
      item(3, 'disk'),
    ];

    const decision = decideOverflow(queued, item(4, 'disk'), limits);

    expect(decision.drop.map((d) => d.seq)).toEqual([3]);
  });

  it('drops an on-demand message when no routine one can go', () => {
    const queued = [item(1, 'smart', false), item(2, 'smart', false)];

    const decision = decideOverflow(queued, item(3, 'disk'), {
      ...limits,
      maxRecords: 2,
    });

    expect(decision.drop.map((d) => d.seq)).toEqual([1]);
  });

  it('refuses the new message rather than drop the only one of a group', () => {
    const queued = [item(1, 'smart'), item(2, 'disk'), item(3, 'antivirus')];

    const decision = decideOverflow(queued, item(4, 'cleanup'), limits);

    expect(decision).toEqual({ accept: false, drop: [] });
  });

  it('drops as many as the byte bound needs', () => {
    const queued = [item(1, 'disk', true, 400), item(2, 'disk', true, 400)];

    const decision = decideOverflow(queued, item(3, 'disk', true, 400), {
      maxRecords: 10,
      maxBytes: 500,
    });

    expect(decision.drop.map((d) => d.seq)).toEqual([1, 2]);
  });
});
