import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, effectivePolicy } from '../../core/index.js';
import { type DeviceEvidence, overdueKinds } from './overdue.js';

const H = 3_600_000;
// Wednesday 2026-03-11, 18:00 UTC.
const NOW = Date.parse('2026-03-11T18:00:00.000Z');

/** Every kind done just now, per the agent's hello. */
const allDone = Object.fromEntries(
  [
    'av-definitions',
    'maintenance',
    'spyware-quick',
    'spyware-full',
    'patch-assessment',
    'disk-space',
    'smart',
  ].map((k) => [k, new Date(NOW - H).toISOString()]),
);

function evidence(over: Partial<DeviceEvidence> = {}): DeviceEvidence {
  return {
    policy: DEFAULT_POLICY,
    lastRuns: allDone,
    checkFinishedMs: {},
    presence: 'online',
    ...over,
  };
}

describe('overdueKinds', () => {
  it('finds nothing when every kind ran since its last closed window', () => {
    expect(overdueKinds(evidence(), NOW)).toEqual([]);
  });

  it('names a kind whose closed window has no run, raised while online', () => {
    // av-definitions: the window 12:00-16:00 closed; last run at 11:00.
    const lastRuns = { ...allDone, 'av-definitions': '2026-03-11T11:00:00Z' };

    expect(overdueKinds(evidence({ lastRuns }), NOW)).toEqual([
      {
        kind: 'av-definitions',
        dueAt: Date.parse('2026-03-11T12:00:00Z'),
        windowEndsAt: Date.parse('2026-03-11T16:00:00Z'),
        lastCompletedMs: Date.parse('2026-03-11T11:00:00Z'),
        raise: true,
      },
    ]);
  });

  it('takes stored reports of every check of a kind as its run', () => {
    const lastRuns = { ...allDone, maintenance: '2026-03-01T00:00:00Z' };
    const late = Date.parse('2026-03-10T13:00:00Z');

    const partly = overdueKinds(
      evidence({ lastRuns, checkFinishedMs: { cleanup: late } }),
      NOW,
    );
    const fully = overdueKinds(
      evidence({
        lastRuns,
        checkFinishedMs: { cleanup: late, 'disk-space': late },
      }),
      NOW,
    );

    expect(partly.map((o) => o.kind)).toEqual(['maintenance']);
    expect(fully).toEqual([]);
  });

  it.each([
    ['connection-lost', 23 * H, false],
    ['connection-lost', 25 * H, true],
    ['clean-shutdown', 10 * 24 * H, false],
    ['clean-shutdown', 22 * 24 * H, true],
    ['unknown', 30 * 24 * H, false],
  ] as const)('raises for %s after %i ms: %s', (presence, gone, raise) => {
    const lastRuns = { ...allDone, smart: '2026-01-01T00:00:00Z' };

    const [missed] = overdueKinds(
      evidence({ lastRuns, presence, presenceSinceMs: NOW - gone }),
      NOW,
    );

    expect(missed?.kind).toBe('smart');
    expect(missed?.raise).toBe(raise);
  });

  it('skips a kind the policy turns off', () => {
    const policy = effectivePolicy({
      client: { cycles: { smart: { enabled: false } } },
    });
    const lastRuns = { ...allDone, smart: '2026-01-01T00:00:00Z' };

    expect(overdueKinds(evidence({ policy, lastRuns }), NOW)).toEqual([]);
  });
});
