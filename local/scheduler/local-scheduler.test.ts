import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CYCLES } from '../../core/index.js';
import { type CycleFiring, LocalCycleScheduler } from './local-scheduler.js';

const HOUR = 3_600_000;
const av = CYCLES.filter((c) => c.kind === 'av-definitions');
const maintenance = CYCLES.filter((c) => c.kind === 'maintenance');

function start(options: ConstructorParameters<typeof LocalCycleScheduler>[0]) {
  const scheduler = new LocalCycleScheduler(options);
  onTestFinished(() => scheduler.stop());
  scheduler.start();
  return scheduler;
}

describe('LocalCycleScheduler', () => {
  it('fires a rate cycle at its due times on a fast clock', async () => {
    const fired: CycleFiring[] = [];
    const scheduler = start({
      cycles: av,
      speed: 36_000, // ten hours a second
      fire: async (firing) => {
        fired.push(firing);
      },
    });

    await sleep(1_000);
    await scheduler.stop();

    expect(fired.length).toBeGreaterThanOrEqual(2);
    for (const firing of fired) {
      const due = Date.parse(firing.scheduledTime);
      // Oracle: every 4 hours from the cycle's start date.
      expect((due - Date.parse('2026-01-05T00:00:00Z')) % (4 * HOUR)).toBe(0);
      expect(firing).toEqual({
        kind: 'av-definitions',
        scheduledTime: firing.scheduledTime,
      });
    }
    expect(new Set(fired.map((f) => f.scheduledTime)).size).toBe(fired.length);
    expect(scheduler.fired).toBe(fired.length);
  });

  it('fires a cron cycle once per time zone, with the zone', async () => {
    const fired: CycleFiring[] = [];
    start({
      cycles: maintenance,
      speed: 100_000, // a day in under a second
      timeZones: () => ['Europe/Paris', 'Asia/Tokyo'],
      fire: async (firing) => {
        fired.push(firing);
      },
    });

    await sleep(1_200);

    const zones = fired.map((f) => f.timeZone);
    expect(zones).toContain('Europe/Paris');
    expect(zones).toContain('Asia/Tokyo');
    const paris = fired.find((f) => f.timeZone === 'Europe/Paris');
    // 12:00 in Paris is 11:00 or 10:00 UTC.
    expect(['10', '11']).toContain(paris?.scheduledTime.slice(11, 13));
  });

  it('runs periodic jobs on the virtual clock and reports a failing one', async () => {
    let sweeps = 0;
    const errors: unknown[] = [];
    const scheduler = start({
      cycles: [],
      speed: 36_000,
      jobs: [
        {
          name: 'sweep',
          everyMs: HOUR,
          run: async () => {
            sweeps++;
            if (sweeps === 2) throw new Error('table busy');
          },
        },
      ],
      fire: async () => {},
    });
    scheduler.events.on('error', (e) => errors.push(e));

    await sleep(500);

    expect(sweeps).toBeGreaterThanOrEqual(3);
    expect(errors).toEqual([{ name: 'sweep', error: new Error('table busy') }]);
  });

  it('refuses a speed below one', () => {
    expect(
      () => new LocalCycleScheduler({ fire: async () => {}, speed: 0.5 }),
    ).toThrow(/speed must be 1 to 100000/);
  });
});
