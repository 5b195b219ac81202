import { describe, expect, it } from 'vitest';
import type { RebootPolicy } from '../policy.js';
import { planReboot } from './reboot.js';

const policy: RebootPolicy = {
  workStart: '08:00',
  workEnd: '18:00',
  workDays: [1, 2, 3, 4, 5],
  maxDeferrals: 2,
  deferMinutes: 240,
};
const zone = 'Europe/Paris';
// Wednesday 2026-03-18, 10:30 in Paris (UTC+1).
const wednesdayMorning = Date.parse('2026-03-18T09:30:00Z');

describe('planReboot', () => {
  it('waits for the end of working hours in the device zone', () => {
    const plan = planReboot({
      nowMs: wednesdayMorning,
      timeZone: zone,
      policy,
      deferralsUsed: 0,
    });
    expect(new Date(plan.atMs).toISOString()).toBe('2026-03-18T17:00:00.000Z');
    expect(plan.reason).toBe('after-working-hours');
  });

  it('restarts at once in the evening and at the weekend', () => {
    const evening = Date.parse('2026-03-18T19:00:00Z');
    const saturday = Date.parse('2026-03-21T10:00:00Z');
    for (const nowMs of [evening, saturday]) {
      const plan = planReboot({
        nowMs,
        timeZone: zone,
        policy,
        deferralsUsed: 0,
      });
      expect(plan).toMatchObject({
        atMs: nowMs,
        reason: 'outside-working-hours',
      });
    }
  });

  it('lets the user defer within the limit, then refuses', () => {
    const evening = Date.parse('2026-03-18T19:00:00Z');
    const first = planReboot({
      nowMs: evening,
      timeZone: zone,
      policy,
      deferralsUsed: 1,
      defer: true,
    });
    expect(first).toMatchObject({
      atMs: evening + 240 * 60_000,
      reason: 'deferred',
      deferralsLeft: 0,
    });
    const refused = planReboot({
      nowMs: evening,
      timeZone: zone,
      policy,
      deferralsUsed: 2,
      defer: true,
    });
    expect(refused).toMatchObject({
      atMs: evening,
      reason: 'deferral-refused',
    });
  });

  it('moves a deferral that lands in working hours to their end', () => {
    // Thursday 06:00 Paris + 4 h = 10:00, inside working hours.
    const early = Date.parse('2026-03-19T05:00:00Z');
    const plan = planReboot({
      nowMs: early,
      timeZone: zone,
      policy,
      deferralsUsed: 0,
      defer: true,
    });
    expect(new Date(plan.atMs).toISOString()).toBe('2026-03-19T17:00:00.000Z');
  });
});
