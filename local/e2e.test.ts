import { statfsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Volume } from '../core/index.js';
import {
  type DeviceDetail,
  type DeviceList,
  getJson,
  startTestStack,
  tempStateDir,
  waitFor,
} from './test-support.js';

/**
 * Other writers (this stack's own dynalite and queue journals, parallel test
 * files, anything else on the machine) change free space on a shared file
 * system between the agent's statfs and the test's. The gap is about a
 * second, so a few MB cover it; sizes do not drift and must match exactly.
 */
const FREE_DRIFT_BYTES = 16 * 1024 * 1024;

/** The README's promise: the device is listed within 30 s of the start. */
const LISTED_WITHIN_MS = 30_000;

/** Waits until GET /devices lists the device with its volumes. */
async function listedDevice(apiUrl: string, thingName: string) {
  const listed = (body: DeviceList) =>
    body.devices.find((d) => d.deviceId === thingName);
  const { body } = await waitFor(
    () => getJson<DeviceList>(apiUrl, '/devices'),
    ({ body }) => (listed(body)?.volumes.length ?? 0) > 0,
    LISTED_WITHIN_MS,
  );
  return listed(body)?.volumes ?? [];
}

async function detailVolumes(apiUrl: string, thingName: string) {
  const { body } = await getJson<DeviceDetail>(apiUrl, `/devices/${thingName}`);
  return diskVolumes(body);
}

function diskVolumes(detail: DeviceDetail): Volume[] {
  const check = detail.checks.find((c) => c.check === 'disk-space');
  if (!check) throw new Error('the device has no disk-space check');
  return (check.data as { volumes: Volume[] }).volumes;
}

function statfsFigures(mount: string) {
  const s = statfsSync(mount);
  return {
    totalBytes: s.blocks * s.bsize,
    freeBytes: s.bfree * s.bsize,
    availableBytes: s.bavail * s.bsize,
  };
}

describe('upkeep local, end to end', () => {
  it('lists this machine with the volume figures statfs reads', {
    timeout: 60_000,
  }, async () => {
    const { stack, lines } = await startTestStack(tempStateDir(), {
      agent: true,
    });
    const thingName = stack.agent?.thingName ?? '';

    const volumes = await listedDevice(stack.apiUrl, thingName);

    expect(volumes.length).toBeGreaterThan(0);
    const detail = await detailVolumes(stack.apiUrl, thingName);
    expect(detail.map((v) => v.id)).toEqual(volumes.map((v) => v.id));
    for (const volume of volumes) {
      const actual = statfsFigures(volume.mount ?? volume.id);
      expect(volume.totalBytes, volume.id).toBe(actual.totalBytes);
      const freeDrift = Math.abs(volume.freeBytes - actual.freeBytes);
      const availableDrift = Math.abs(
        volume.availableBytes - actual.availableBytes,
      );
      expect(freeDrift, volume.id).toBeLessThanOrEqual(FREE_DRIFT_BYTES);
      expect(availableDrift, volume.id).toBeLessThanOrEqual(FREE_DRIFT_BYTES);
    }
    // The line follows the handler's answer, a moment after the writes.
    const line = `report    ${thingName}  disk-space  `;
    await expect.poll(() => lines.some((l) => l.startsWith(line))).toBe(true);
  });

  it('still lists this machine after a stop and a restart', {
    timeout: 60_000,
  }, async () => {
    const stateDir = tempStateDir();
    const first = await startTestStack(stateDir, { agent: true });
    const thingName = first.stack.agent?.thingName ?? '';
    const before = await listedDevice(first.stack.apiUrl, thingName);

    await first.stack.stop();
    const second = await startTestStack(stateDir);
    const { body } = await getJson<DeviceDetail>(
      second.stack.apiUrl,
      `/devices/${thingName}`,
    );

    expect(body.device.deviceId).toBe(thingName);
    const after = await getJson<DeviceList>(second.stack.apiUrl, '/devices');
    const listed = after.body.devices.find((d) => d.deviceId === thingName);
    expect(listed?.volumes).toEqual(before);
  });
});
