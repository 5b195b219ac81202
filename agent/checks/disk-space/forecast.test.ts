import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  diskSpaceDataSchema,
  type Volume,
} from '../../../core/index.js';
import { silentLogger } from '../../logger.js';
import { runCommand } from '../../platform/command.js';
import type { CheckContext } from '../types.js';
import { createDiskSpaceCheck } from './check.js';
import {
  addSample,
  forecastDefaults,
  forecastFull,
  type Sample,
} from './forecast.js';
import { DISK_HISTORY_FILE } from './history-store.js';

const GB = 1024 ** 3;
const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T12:00:00Z');
const at = (days: number) => new Date(T0 + days * DAY);

const dir = mkdtempSync(join(tmpdir(), 'upkeep-forecast-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('forecastFull', () => {
  const losing = (perDay: number, days: number[]): Sample[] =>
    days.map((d) => [T0 + d * DAY, 20 * GB - d * perDay]);

  it('extrapolates a steady loss to the floor', () => {
    const samples = losing(2 * GB, [0, 1, 2, 3]);

    const forecast = forecastFull(samples, at(3), 0);

    // 14 GB left at 2 GB a day.
    expect(forecast).toEqual({
      daysUntilFull: 7,
      bytesPerDay: 2 * GB,
      samples: 4,
    });
  });

  it('counts the days to the floor, not to zero', () => {
    const samples = losing(GB, [0, 1, 2]);

    expect(forecastFull(samples, at(2), 8 * GB)?.daysUntilFull).toBe(10);
  });

  it('fits a line through noisy samples', () => {
    const samples: Sample[] = [
      [T0, 10 * GB],
      [T0 + DAY, 10.5 * GB],
      [T0 + 2 * DAY, 9 * GB],
      [T0 + 3 * DAY, 8.5 * GB],
    ];

    // Least squares: slope -0.6 GB/day; 8.5 GB left.
    expect(forecastFull(samples, at(3), 0)).toMatchObject({
      daysUntilFull: 14.2,
      bytesPerDay: Math.round(0.6 * GB),
    });
  });

  it('gives no forecast from fewer than three samples', () => {
    expect(forecastFull(losing(GB, [0, 1]), at(1), 0)).toBeUndefined();
  });

  it('gives no forecast when free space holds or grows', () => {
    expect(forecastFull(losing(0, [0, 1, 2]), at(2), 0)).toBeUndefined();
    expect(forecastFull(losing(-GB, [0, 1, 2]), at(2), 0)).toBeUndefined();
  });

  it('gives no forecast from samples minutes apart', () => {
    const minutes: Sample[] = [0, 1, 2].map((m) => [
      T0 + m * 60_000,
      20 * GB - m * GB,
    ]);

    expect(forecastFull(minutes, at(0.01), 0)).toBeUndefined();
  });

  it('leaves samples older than the window out of the fit', () => {
    const old: Sample[] = [
      [T0 - 60 * DAY, 40 * GB],
      [T0 - 59 * DAY, 39 * GB],
    ];
    const recent = losing(0, [0, 1, 2]);

    expect(forecastFull([...old, ...recent], at(2), 0)).toBeUndefined();
  });
});

describe('addSample', () => {
  it('replaces a sample taken within the spacing', () => {
    const first = addSample([], [T0, 10]);
    const second = addSample(first, [T0 + 60_000, 9]);

    expect(second).toEqual([[T0 + 60_000, 9]]);
  });

  it('keeps the newest samples only', () => {
    let samples: Sample[] = [];
    for (let d = 0; d < 70; d++)
      samples = addSample(samples, [T0 + d * DAY, d]);

    expect(samples).toHaveLength(forecastDefaults.maxSamples);
    expect(samples[0]).toEqual([T0 + 10 * DAY, 10]);
  });
});

describe('the disk-space check with history', () => {
  const volume = (availableBytes: number, totalBytes = 100 * GB): Volume => ({
    id: '/',
    mount: '/',
    fsType: 'ext4',
    role: 'system',
    totalBytes,
    freeBytes: availableBytes,
    availableBytes,
  });

  function context(now: Date, horizonDays?: number): CheckContext {
    const disk = { ...DEFAULT_POLICY.disk, forecastHorizonDays: horizonDays };
    return {
      now: () => now,
      policy: horizonDays ? { ...DEFAULT_POLICY, disk } : DEFAULT_POLICY,
      platform: 'linux',
      run: runCommand,
      logger: silentLogger,
      trigger: 'schedule',
    };
  }

  /** Runs the check once a day while the volume loses `perDay`. */
  async function runDays(
    stateDir: string,
    days: number,
    perDay: number,
    horizonDays?: number,
  ) {
    let last:
      | Awaited<ReturnType<ReturnType<typeof createDiskSpaceCheck>['run']>>
      | undefined;
    for (let d = 0; d < days; d++) {
      const check = createDiskSpaceCheck(
        {
          linux: async () => ({
            volumes: [volume(30 * GB - d * perDay)],
            skipped: [],
          }),
        },
        { stateDir },
      );
      last = await check.run(context(at(d), horizonDays));
    }
    return last;
  }

  it('warns on the third day of a volume losing 3 GB a day', async () => {
    const result = await runDays(join(dir, 'fast'), 3, 3 * GB);

    // 24 GB left, floor 200 MB: about 7.9 days, inside the 14-day horizon.
    expect(result?.findings).toMatchObject([
      {
        code: 'disk.full-forecast',
        severity: 'warning',
        subject: '/',
        detail: { daysUntilFull: 7.9, samples: 3, horizonDays: 14 },
      },
    ]);
    expect(result?.verdict).toBe('warning');
    expect(diskSpaceDataSchema.parse(result?.data).forecasts).toEqual([
      { id: '/', daysUntilFull: 7.9, bytesPerDay: 3 * GB, samples: 3 },
    ]);
  });

  it('forecasts without a finding beyond the horizon', async () => {
    const result = await runDays(join(dir, 'slow'), 3, 0.5 * GB);

    expect(result?.findings).toEqual([]);
    expect(result?.verdict).toBe('ok');
    expect(result?.data.forecasts).toMatchObject([{ daysUntilFull: 57.6 }]);
  });

  it("takes the horizon from the client's policy", async () => {
    const result = await runDays(join(dir, 'policy'), 3, 0.5 * GB, 60);

    expect(result?.findings).toMatchObject([
      { code: 'disk.full-forecast', detail: { horizonDays: 60 } },
    ]);
  });

  it('starts a new history when the volume is resized', async () => {
    const stateDir = join(dir, 'resized');
    await runDays(stateDir, 3, 3 * GB);
    const grown = createDiskSpaceCheck(
      {
        linux: async () => ({
          volumes: [volume(50 * GB, 200 * GB)],
          skipped: [],
        }),
      },
      { stateDir },
    );

    const result = await grown.run(context(at(3)));

    expect(result.findings).toEqual([]);
    const stored = JSON.parse(
      readFileSync(join(stateDir, DISK_HISTORY_FILE), 'utf8'),
    );
    expect(stored.volumes['/']).toEqual({
      totalBytes: 200 * GB,
      samples: [[at(3).getTime(), 50 * GB]],
    });
  });
});
