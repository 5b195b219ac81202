import { describe, expect, it } from 'vitest';
import { runShard, simulateFleet, summariseShards } from './simulate.js';

describe('simulateFleet', () => {
  it('runs a small fleet with no duplicate and the table agreeing', async () => {
    const result = await simulateFleet({
      devices: 12,
      weeks: 0.5,
      verifyDevices: 1,
      pubackLoss: 0.05,
    });
    const d = result.details;

    expect(result.devices).toBe(12);
    expect(result.simulatedDays).toBe(4);
    expect(result.dueCycles).toBeGreaterThan(100);
    expect(result.coverage).toBeGreaterThanOrEqual(0.99);
    expect(result.duplicateRuns).toBe(0);
    expect(d.storeDuplicates).toBe(0);
    // Every redelivered report was answered by the idempotency layer.
    expect(d.redeliveredMessages).toBeGreaterThan(0);
    expect(d.idempotentRepeats).toBeGreaterThan(0);
    expect(d.reportsStored).toBe(d.reportsProduced);
    expect(d.calibration.mismatched).toBe(0);
    expect(d.calibration.tableReports).toBeGreaterThan(0);
    expect(d.calibration.writeUnits.report).toBeGreaterThan(0);
    expect(result.costPerDeviceMonthUsd).toBeGreaterThan(0);
  });

  it('gives the same counts in two shards as in one', async () => {
    const options = { devices: 6, weeks: 0.5, verifyDevices: 1 };
    const whole = await simulateFleet(options);
    const halves = [
      await runShard(options, { from: 0, to: 3 }),
      await runShard(options, { from: 3, to: 6 }),
    ];

    const merged = summariseShards(halves, options, 0);

    expect(merged.dueCycles).toBe(whole.dueCycles);
    expect(merged.completedWithin24hOfReconnect).toBe(
      whole.completedWithin24hOfReconnect,
    );
    expect(merged.details.reportsProduced).toBe(whole.details.reportsProduced);
  });
});
