import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ConditionsPort, DeviceConditions } from './types.js';

/**
 * What keeps heavy work (full scans, patch installs) waiting, as far as the
 * OS tells:
 *
 * - Linux, on battery: /sys/class/power_supply. A `Mains` supply online
 *   means mains power; otherwise a system `Battery` discharging means
 *   battery. Peripheral batteries (`scope` = Device: mice, headsets) do
 *   not count. No supply at all (a desktop, a VM) means mains.
 * - Metered network and presentation mode are not read on Linux (no
 *   common interface outside NetworkManager and the desktop session), nor
 *   on Windows and macOS yet: unknown, which does not block.
 *
 * Known limitation: Windows (GetSystemPowerStatus, the network cost of the
 * connection profile, SHQueryUserNotificationState for presentation mode)
 * and macOS (IOPowerSources) probes are not written; until they are, heavy
 * cycles there run whatever the power source, as before this gate existed.
 */
export const conditionsDefaults = {
  powerSupplyDir: '/sys/class/power_supply',
};

export interface ConditionsOptions {
  platform: NodeJS.Platform;
  /** @default '/sys/class/power_supply' */
  powerSupplyDir?: string;
}

export function createConditions(options: ConditionsOptions): ConditionsPort {
  if (options.platform !== 'linux') return async () => ({});
  const dir = options.powerSupplyDir ?? conditionsDefaults.powerSupplyDir;
  return async () => ({ onBattery: await linuxOnBattery(dir) });
}

/** The reasons, in words for the log, that block heavy work now. */
export function blockingReasons(conditions: DeviceConditions): string[] {
  const reasons: string[] = [];
  if (conditions.onBattery) reasons.push('on-battery');
  if (conditions.metered) reasons.push('metered-network');
  if (conditions.presenting) reasons.push('presenting');
  return reasons;
}

export async function linuxOnBattery(
  dir: string,
): Promise<boolean | undefined> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return undefined;
  }

  const supplies = await Promise.all(
    names.map(async (name) => ({
      type: await attribute(dir, name, 'type'),
      online: await attribute(dir, name, 'online'),
      status: await attribute(dir, name, 'status'),
      scope: await attribute(dir, name, 'scope'),
    })),
  );
  if (supplies.some((s) => s.type === 'Mains' && s.online === '1')) {
    return false;
  }
  const batteries = supplies.filter(
    (s) => s.type === 'Battery' && s.scope !== 'Device',
  );
  return batteries.some((s) => s.status === 'Discharging');
}

async function attribute(dir: string, name: string, file: string) {
  try {
    return (await fs.readFile(path.join(dir, name, file), 'utf8')).trim();
  } catch {
    return undefined;
  }
}
