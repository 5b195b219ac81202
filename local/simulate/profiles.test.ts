import { describe, expect, it } from 'vitest';
import { wallTime } from '../../core/index.js';
import { planDevice } from './profiles.js';
import { Rng } from './rng.js';

const START = Date.parse('2026-03-02T00:00:00.000Z');
const DAY = 86_400_000;

function plans(count: number, zone = 'Europe/Paris') {
  const root = new Rng(42);
  return Array.from({ length: count }, (_, i) =>
    planDevice(root.fork(i + 1), zone, START, 28),
  );
}

describe('planDevice', () => {
  it('draws the same plan from the same seed', () => {
    expect(plans(20)).toEqual(plans(20));
  });

  it('keeps sessions in order, after the start and outside a holiday', () => {
    for (const plan of plans(200)) {
      let last = START;
      for (const s of plan.sessions) {
        expect(s.from).toBeGreaterThanOrEqual(last);
        expect(s.to).toBeGreaterThan(s.from);
        if (plan.away) {
          expect(s.to <= plan.away.from || s.from >= plan.away.to).toBe(true);
        }
        last = s.from;
      }
    }
  });

  it('starts office days in the local morning of their zone', () => {
    const office = plans(200, 'Asia/Tokyo').filter(
      (p) => p.profile === 'office',
    );
    const starts = office.flatMap((p) =>
      p.sessions.map((s) => wallTime(s.from, 'Asia/Tokyo').hour),
    );

    expect(office.length).toBeGreaterThan(50);
    expect(starts.filter((h) => h >= 7 && h < 10).length).toBeGreaterThan(
      starts.length / 2,
    );
  });

  it('mixes the profiles and sends about a fifth away for a week', () => {
    const all = plans(1000);
    const desktops = all.filter((p) => p.profile === 'desktop').length;
    const away = all.filter((p) => p.away).length;

    expect(desktops).toBeGreaterThan(100);
    expect(desktops).toBeLessThan(200);
    expect(away).toBeGreaterThan(120);
    expect(away).toBeLessThan(220);
    for (const plan of all.filter((p) => p.away)) {
      const length = ((plan.away?.to ?? 0) - (plan.away?.from ?? 0)) / DAY;
      expect(length).toBeGreaterThanOrEqual(7);
    }
  });
});
