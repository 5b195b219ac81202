import { describe, expect, it } from 'vitest';
import { CYCLES } from '../../core/index.js';
import { addDeviceCoverage, backAt, emptyTally } from './coverage.js';
import type { StoredReport } from './fleet-lane.js';

const H = 3_600_000;
const START = Date.parse('2026-03-02T00:00:00.000Z');
const smart = CYCLES.filter((c) => c.kind === 'smart');

function report(
  check: StoredReport['check'],
  finished: number,
  received: number,
) {
  return {
    reportId: `r-${finished}`,
    check,
    trigger: 'catch-up' as const,
    finishedAtMs: finished,
    receivedAtMs: received,
  };
}

describe('backAt', () => {
  it('is the due time when the device is online long enough then', () => {
    expect(backAt([{ from: 0, to: 10 * H }], 2 * H)).toBe(2 * H);
  });

  it('skips a connection too short to have run anything', () => {
    const spans = [
      { from: 0, to: 2 * H + 60_000 },
      { from: 5 * H, to: 6 * H },
    ];

    expect(backAt(spans, 2 * H)).toBe(5 * H);
    expect(backAt(spans, 7 * H)).toBeUndefined();
  });
});

describe('addDeviceCoverage', () => {
  // smart is due every 14 days from 2026-01-12: 2026-03-09T00:00Z here.
  const due = Date.parse('2026-03-09T00:00:00.000Z');
  const end = START + 14 * 24 * H;

  it('counts a window slept through as done by the catch-up on return', () => {
    const tally = emptyTally();
    const back = due + 40 * H;

    addDeviceCoverage(tally, {
      cycles: smart,
      timeZone: 'UTC',
      start: START,
      end,
      connected: [{ from: back, to: back + 8 * H }],
      reports: [report('smart', back + 60_000, back + 61_000)],
    });

    expect(tally).toEqual({ due: 1, done: 1, censored: 0, missedByKind: {} });
  });

  it('counts a report that came more than 24 h after return as missed', () => {
    const tally = emptyTally();

    addDeviceCoverage(tally, {
      cycles: smart,
      timeZone: 'UTC',
      start: START,
      end,
      connected: [{ from: due, to: due + 8 * H }],
      reports: [report('smart', due + H, due + 30 * H)],
    });

    expect(tally.missedByKind).toEqual({ smart: 1 });
  });

  it('leaves out a window whose day after return runs past the end', () => {
    const tally = emptyTally();

    addDeviceCoverage(tally, {
      cycles: smart,
      timeZone: 'UTC',
      start: START,
      end: due + 10 * H,
      connected: [{ from: due, to: due + 8 * H }],
      reports: [],
    });

    expect(tally).toMatchObject({ due: 0, censored: 1 });
  });
});
