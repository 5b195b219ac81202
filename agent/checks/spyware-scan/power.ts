import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandRunner } from '../../platform/command.js';
import {
  POWERSHELL,
  powershellArgs,
} from '../../platform/windows/powershell.js';
import type { PowerState } from './types.js';

const read = (path: string) =>
  readFile(path, 'utf8').then(
    (text) => text.trim(),
    () => undefined,
  );

/**
 * Linux: /sys/class/power_supply/<name>/{type,online,status}. Mains (or
 * USB) with online=1 means mains power whatever the battery says; without
 * a mains supply the battery's status decides (Discharging = on battery).
 * No battery at all is a desktop, which is never on battery.
 */
export async function linuxPower(root = '/sys/class/power_supply') {
  const names = await readdir(root).catch(() => [] as string[]);
  let hasBattery = false;
  let mainsOnline = false;
  let discharging: boolean | null = null;

  for (const name of names) {
    const type = await read(join(root, name, 'type'));
    if (type === 'Battery') {
      hasBattery = true;
      const status = await read(join(root, name, 'status'));
      if (status === 'Discharging') discharging = true;
      else if (status && discharging === null) discharging = false;
    } else if (type === 'Mains' || type === 'USB') {
      if ((await read(join(root, name, 'online'))) === '1') mainsOnline = true;
    }
  }

  const onBattery = !hasBattery ? false : mainsOnline ? false : discharging;
  return { hasBattery, onBattery, source: 'sysfs' } satisfies PowerState;
}

/** Win32_Battery BatteryStatus: 1 discharging, 4 low, 5 critical. */
const ON_BATTERY = new Set([1, 4, 5]);

export const WINDOWS_POWER_SCRIPT =
  '@(Get-CimInstance Win32_Battery | ForEach-Object { ' +
  '[int]$_.BatteryStatus }) | ConvertTo-Json -Compress';

/** Parses the list of BatteryStatus values; undefined when unreadable. */
export function parseWindowsPower(stdout: string): PowerState | undefined {
  const text = stdout.trim();
  if (text === '')
    return { hasBattery: false, onBattery: false, source: 'Win32_Battery' };
  try {
    const raw: unknown = JSON.parse(text);
    const codes = (Array.isArray(raw) ? raw : [raw]).filter(
      (v): v is number => typeof v === 'number',
    );
    return {
      hasBattery: codes.length > 0,
      onBattery: codes.some((c) => ON_BATTERY.has(c)),
      source: 'Win32_Battery',
    };
  } catch {
    return undefined;
  }
}

/** macOS: `pmset -g batt` names the source it draws from. */
export function parsePmset(stdout: string): PowerState | undefined {
  const match = /drawing from '([^']+)'/.exec(stdout);
  if (!match) return undefined;
  return {
    hasBattery: /InternalBattery/.test(stdout),
    onBattery: match[1] === 'Battery Power',
    source: 'pmset',
  };
}

const UNKNOWN: PowerState = {
  hasBattery: false,
  onBattery: null,
  source: 'none',
};

/** The power state on this platform; unknown rather than a guess. */
export async function probePower(
  platform: NodeJS.Platform,
  run: CommandRunner,
  sysfsRoot?: string,
): Promise<PowerState> {
  if (platform === 'linux') return linuxPower(sysfsRoot);
  if (platform === 'win32') {
    const r = await run(POWERSHELL, powershellArgs(WINDOWS_POWER_SCRIPT), {
      timeoutMs: 30_000,
    });
    // An empty stdout means "no battery" only when the script ran.
    if (r.exitCode !== 0) return UNKNOWN;
    return parseWindowsPower(r.stdout) ?? UNKNOWN;
  }
  if (platform === 'darwin') {
    const r = await run('pmset', ['-g', 'batt'], { timeoutMs: 30_000 });
    return parsePmset(r.stdout) ?? UNKNOWN;
  }
  return UNKNOWN;
}
