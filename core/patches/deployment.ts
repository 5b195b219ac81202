import { isoTime } from '../iso-time.js';
import type { MaintenanceWindow } from '../schedule/maintenance-window.js';
import { maintenanceSlot } from '../schedule/maintenance-window.js';

/**
 * Which devices of a ring get which updates now, as IoT jobs. Pure.
 *
 * One job carries one document for all its targets, so devices share a job
 * only when they need the same approved updates and have the same window
 * in the same zone; the block list of one device must never ride on a job
 * made for another. A group whose window is closed waits for the next
 * planner run in its window. A device without a maintenance window gets
 * the job at once, marked as outside its window: the agent installs when
 * the device is idle.
 */
export interface DeviceCandidate {
  thingName: string;
  ring: 'pilot' | 'broad';
  timeZone: string;
  window?: MaintenanceWindow;
  platform: string;
  /** Approved, missing and not yet sent in this wave. */
  updates: string[];
}

export interface DeploymentGroup {
  ring: 'pilot' | 'broad';
  platform: string;
  timeZone: string;
  window?: MaintenanceWindow;
  updates: string[];
  thingNames: string[];
  /** Installs after this instant wait for the device to be idle, ms. */
  windowEndsAtMs: number;
  /** Stable key of the group: ring, zone, window, platform, updates. */
  key: string;
}

export function deploymentGroups(
  candidates: readonly DeviceCandidate[],
  ring: 'pilot' | 'broad',
  nowMs: number,
): DeploymentGroup[] {
  const groups = new Map<string, DeploymentGroup>();
  for (const device of candidates) {
    if (device.ring !== ring || device.updates.length === 0) continue;
    const windowEndsAtMs = openWindowEnd(device, nowMs);
    if (windowEndsAtMs === undefined) continue;

    const updates = [...new Set(device.updates)].sort();
    const key = groupKey(device, updates);
    const group = groups.get(key) ?? {
      ring,
      platform: device.platform,
      timeZone: device.timeZone,
      ...(device.window ? { window: device.window } : {}),
      updates,
      thingNames: [],
      windowEndsAtMs,
      key,
    };
    group.thingNames.push(device.thingName);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The end of the device's window when it is open now; now without one. */
export function openWindowEnd(
  device: Pick<DeviceCandidate, 'window' | 'timeZone'>,
  nowMs: number,
): number | undefined {
  if (!device.window) return nowMs;
  const slot = maintenanceSlot(nowMs, device.window, device.timeZone);
  return slot.opensAt <= nowMs ? slot.closesAt : undefined;
}

function groupKey(device: DeviceCandidate, updates: string[]) {
  const window = device.window
    ? `${device.window.start}-${device.window.end}`
    : 'none';
  return [
    device.ring,
    device.timeZone,
    window,
    device.platform,
    updates.join(','),
  ].join('|');
}

/**
 * The deployment wave of an instant: its UTC month, `2026-03`. Microsoft
 * ships security updates monthly (the second Tuesday), so a month holds
 * one pilot and one promotion; a week would cut a pilot that started late
 * in the week off from its promotion.
 */
export function waveOf(nowMs: number): string {
  return isoTime(nowMs).slice(0, 7);
}
