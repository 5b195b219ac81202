import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../agent/logger.js';
import { runCommand } from '../../agent/platform/command.js';
import { createInstallUpdates } from '../../agent/remedies/install-updates.js';
import { DEFAULT_POLICY } from '../../core/policy.js';
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

async function simulateInstall(updates: string[]) {
  const remedy = createInstallUpdates({
    apt: { simulate: true, rebootFlag: '/nonexistent/reboot-required' },
  });
  return remedy.run(
    {
      platform: 'linux',
      run: runCommand,
      logger: silentLogger,
      now: () => new Date(),
      policy: DEFAULT_POLICY,
      checks: [],
      timeoutMs: 120_000,
    },
    { updates, windowEndsAt: new Date(Date.now() + 3_600_000).toISOString() },
  );
}

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
    const outcome = await simulateInstall(sent[0]?.slice(0, 3) ?? []);

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
