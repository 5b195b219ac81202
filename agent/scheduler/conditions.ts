import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type CommandRunner, runCommand } from '../platform/command.js';
import { macConditions } from '../platform/darwin/pmset.js';
import { linuxPresenting } from '../platform/linux/inhibitors.js';
import { linuxMetered } from '../platform/linux/network-manager.js';
import { windowsConditions } from '../platform/windows/device-conditions.js';
import type { ConditionsPort, DeviceConditions } from './types.js';

/**
 * What keeps heavy work (full scans, patch installs) waiting, as far as the
 * OS tells (docs/cycles.md, "Heavy work waits"):
 *
 * - Linux: battery from /sys/class/power_supply, metered network from
 *   NetworkManager (nmcli), presenting from logind idle locks
 *   (systemd-inhibit).
 * - Windows: battery from PowerStatus and Win32_Battery, metered network
 *   from the WinRT connection cost, presenting from
 *   SHQueryUserNotificationState.
 * - macOS: battery from `pmset -g batt`, metered network unknown,
 *   presenting from `pmset -g assertions`.
 *
 * Each probe has a time limit and never throws: a probe that fails or
 * prints something odd leaves its condition unknown, and unknown never
 * blocks. The scheduler asks only while a heavy cycle is due.
 */
export const conditionsDefaults = {
  powerSupplyDir: '/sys/class/power_supply',
  /** Limit for one probe command, ms. */
  timeoutMs: 10_000,
};

export interface ConditionsOptions {
  platform: NodeJS.Platform;
  /** @default '/sys/class/power_supply' */
  powerSupplyDir?: string;
  /** @default runCommand (a real child process) */
  run?: CommandRunner;
  /** @default conditionsDefaults.timeoutMs (10 s) */
  timeoutMs?: number;
}

export function createConditions(options: ConditionsOptions): ConditionsPort {
  const run = options.run ?? runCommand;
  const timeoutMs = options.timeoutMs ?? conditionsDefaults.timeoutMs;
  const dir = options.powerSupplyDir ?? conditionsDefaults.powerSupplyDir;
  switch (options.platform) {
    case 'linux':
      return () => linuxConditions(dir, run, timeoutMs);
    case 'win32':
      return () => windowsConditions(run, timeoutMs);
    case 'darwin':
      return () => macConditions(run, timeoutMs);
    default:
      return async () => ({});
  }
}

async function linuxConditions(
  dir: string,
  run: CommandRunner,
  timeoutMs: number,
): Promise<DeviceConditions> {
  const [onBattery, metered, presentation] = await Promise.all([
    linuxOnBattery(dir),
    linuxMetered(run, timeoutMs),
    linuxPresenting(run, timeoutMs),
  ]);
  return {
    ...(onBattery === undefined ? {} : { onBattery }),
    ...(metered === undefined ? {} : { metered }),
    ...(presentation.presenting === undefined
      ? {}
      : { presenting: presentation.presenting }),
    ...(presentation.by ? { presentingBy: presentation.by } : {}),
  };
}

/** The reasons, in words for the log, that block heavy work now. */
export function blockingReasons(conditions: DeviceConditions): string[] {
  const reasons: string[] = [];
  if (conditions.onBattery) reasons.push('on-battery');
  if (conditions.metered) reasons.push('metered-network');
  if (conditions.presenting) reasons.push('presenting');
  return reasons;
}

/**
 * On battery from sysfs: a `Mains` supply online means mains power;
 * otherwise a system `Battery` discharging means battery. Peripheral
 * batteries (`scope` = Device: mice, headsets) do not count. No supply at
 * all (a desktop, a VM) means mains.
 */
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
