import { describe, expect, it } from 'vitest';
import { simulateAptInstall } from '../../agent/remedies/testing/simulated-apt.js';
import { plannerKit } from './test-kit.js';

/**
 * Patch Doctor on apt, with this machine's own package state: the agent's
 * apt probe runs `apt-get -s dist-upgrade` for real, the planner approves
 * from the stored report, and the agent's install runs with `apt-get -s`
 * (nothing is installed). Oracle: all-security sends the packages from a
 * security origin, whitelist mode the listed package only, and the install
 * finds each package it was sent upgradable.
 */
const T0 = Date.parse('2026-03-18T10:00:00Z');

describe('patch planner with apt on this machine', { timeout: 120_000 }, () => {
  it('sends every security package, in jobs of at most 50', async () => {
    const t = await plannerKit(T0);
    const pending = await t.linuxDevice('acme', 'deb-1');
    const security = pending.filter((u) => u.security).map((u) => u.id);
    // The machine needs a pending security update for this oracle.
    expect(security.length).toBeGreaterThan(0);

    // Each hourly run sends the next batch the device has not been sent.
    const sent: string[][] = [];
    for (let run = 0; run < Math.ceil(security.length / 50) + 1; run++) {
      const plan = await t.planner.planClient('acme');
      for (const job of plan.created) {
        sent.push(t.document(job.jobId).params.updates);
      }
    }
    const outcome = await simulateAptInstall(sent[0]?.slice(0, 3) ?? []);

    expect(sent.every((batch) => batch.length <= 50)).toBe(true);
    expect(sent.flat().sort()).toEqual([...new Set(security)].sort());
    expect(outcome).toMatchObject({
      ok: true,
      details: { installed: Math.min(3, sent[0]?.length ?? 0), failed: 0 },
    });
  });

  it('sends only the whitelisted package in whitelist mode', async () => {
    const t = await plannerKit(T0);
    const pending = await t.linuxDevice('acme', 'deb-1');
    const other = pending.find((u) => !u.security);
    expect(other).toBeDefined();
    await t.setPolicy(
      { kind: 'client', clientId: 'acme' },
      { patches: { mode: 'whitelist', whitelist: [other?.id ?? ''] } },
    );

    const plan = await t.planner.planClient('acme');

    expect(t.document(plan.created[0]?.jobId ?? '').params.updates).toEqual([
      other?.id,
    ]);
  });
});
