import { describe, expect, it } from 'vitest';
import { CYCLES, latestCycleWindow, type Report } from '../../core/index.js';
import { EventLoop } from './event-loop.js';
import { Meter } from './meter.js';
import type { Session } from './profiles.js';
import { Rng } from './rng.js';
import { SimDevice } from './sim-device.js';
import { SimIot } from './sim-iot.js';

const H = 3_600_000;
const START = Date.parse('2026-03-02T00:00:00.000Z');

function session(from: number, hours: number, end: Session['end']): Session {
  return { from, to: from + hours * H, end, outages: [], battery: [] };
}

function deviceWith(sessions: Session[], pubackLoss = 0) {
  const loop = new EventLoop(START);
  const meter = new Meter();
  const iot = new SimIot(loop, meter);
  const sent: { at: number; topic: string; payload: string }[] = [];
  const device = new SimDevice({
    thingName: 'sim-test',
    group: 'client-test',
    policy: { timeZone: 'UTC' },
    plan: { profile: 'office', sessions },
    loop,
    iot,
    meter,
    rng: new Rng(7),
    tuning: { tickMs: 15 * 60_000 },
    pubackLoss,
    publish: async (topic, payload, at) => {
      sent.push({ at, topic, payload });
    },
  });
  return { loop, meter, device, sent };
}

function reportsOf(sent: { topic: string; payload: string }[]) {
  return sent
    .filter((m) => m.topic.endsWith('/reports'))
    .map((m) => JSON.parse(m.payload) as Report);
}

describe('SimDevice', () => {
  it('runs each missed cycle kind once after nine days away', async () => {
    const back = START + 10 * 24 * H + 9 * H;
    const t = deviceWith([
      session(START + 9 * H, 8, 'shutdown'),
      session(back, 8, 'shutdown'),
    ]);

    await t.loop.run(back + H);
    const onReturn = reportsOf(t.sent.filter((m) => m.at >= back));

    // Oracle: the latest window of each kind, once, not one run per missed
    // window; disk-space, which two kinds share, runs once and its report
    // stands for both, while the quick and the full spyware scans are
    // different work and each runs, as the agent's cycle runner decides.
    const kinds = onReturn.map((r) => (r.cycleId ?? '').split('@')[0]);
    const windows = new Set(onReturn.map((r) => r.cycleId));
    expect(windows.size).toBe(new Set(kinds).size);
    const runs = onReturn.map((r) => `${r.check} ${r.cycleId?.split('@')[0]}`);
    expect(new Set(runs).size).toBe(onReturn.length);
    expect(onReturn.filter((r) => r.check === 'disk-space')).toHaveLength(1);
    expect(onReturn.filter((r) => r.check === 'spyware-scan')).toHaveLength(2);
    expect(onReturn.every((r) => r.trigger === 'catch-up')).toBe(true);
    expect(t.meter.duplicateRuns).toBe(0);
    for (const cycle of CYCLES) {
      const latest = latestCycleWindow(cycle, back, 'UTC');
      const stored = t.device.completed(cycle.kind);
      expect(stored?.cycleId).toBe(latest?.cycleId);
      expect(Date.parse(stored?.completedAt ?? '')).toBeGreaterThanOrEqual(
        latest?.dueAt ?? Number.NaN,
      );
    }
  });

  it('sends a report again after a lost PUBACK without running it again', async () => {
    const t = deviceWith([session(START + 9 * H, 10, 'shutdown')], 0.3);

    await t.loop.run(START + 20 * H);
    const reports = reportsOf(t.sent);
    const unique = new Set(reports.map((r) => r.reportId));

    expect(t.meter.redelivered).toBeGreaterThan(0);
    expect(reports.length).toBeGreaterThan(unique.size);
    expect(t.meter.duplicateRuns).toBe(0);
  });

  it('keeps its timers still while asleep and catches up on waking', async () => {
    const t = deviceWith([
      session(START + 9 * H, 2, 'sleep'),
      session(START + 20 * H, 2, 'shutdown'),
    ]);

    await t.loop.run(START + 23 * H);
    const asleep = t.sent.filter(
      (m) => m.at > START + 11 * H && m.at < START + 20 * H,
    );
    const woken = reportsOf(t.sent.filter((m) => m.at >= START + 20 * H));

    expect(asleep).toEqual([]);
    expect(woken.map((r) => r.check)).toContain('antivirus');
  });
});
