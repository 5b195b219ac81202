import type { CommandRunner } from '../command.js';

/**
 * Metered network from NetworkManager: `nmcli -t -f
 * GENERAL.DEVICE,GENERAL.STATE,GENERAL.METERED device show` lists every
 * device as `FIELD:value` lines, a blank line between devices. METERED is
 * `yes`, `no`, `yes (guessed)`, `no (guessed)` or `unknown`; NM guesses
 * yes for a phone's hotspot and for mobile broadband. A connected device
 * (state 100) other than loopback that is metered, guessed or not, makes
 * the network metered; all connected ones `no` make it not metered.
 *
 * Without NetworkManager (not installed, not running, no D-Bus) the
 * answer is unknown, which never blocks.
 */
export const NMCLI = 'nmcli';
export const NMCLI_ARGS = [
  '-t',
  '-f',
  'GENERAL.DEVICE,GENERAL.STATE,GENERAL.METERED',
  'device',
  'show',
];

export interface NmDevice {
  device: string;
  /** NM's numeric device state: 100 is connected. */
  state: number;
  metered: 'yes' | 'no' | 'unknown';
  guessed: boolean;
}

const CONNECTED = 100;

/** The devices of `nmcli -t ... device show`; odd lines are skipped. */
export function parseNmcliDevices(text: string): NmDevice[] {
  const devices: NmDevice[] = [];
  for (const block of text.split(/\r?\n\s*\r?\n/)) {
    const fields = new Map<string, string>();
    for (const line of block.split(/\r?\n/)) {
      const at = line.indexOf(':');
      if (at > 0) fields.set(line.slice(0, at), line.slice(at + 1).trim());
    }
    const device = fields.get('GENERAL.DEVICE');
    const state = Number.parseInt(fields.get('GENERAL.STATE') ?? '', 10);
    const metered = /^(yes|no|unknown)\b/.exec(
      fields.get('GENERAL.METERED') ?? '',
    )?.[1] as NmDevice['metered'] | undefined;
    if (!device || !Number.isFinite(state) || !metered) continue;
    const guessed = /\(guessed\)/.test(fields.get('GENERAL.METERED') ?? '');
    devices.push({ device, state, metered, guessed });
  }
  return devices;
}

/** Metered or not from the connected devices; undefined if none says. */
export function meteredFrom(devices: readonly NmDevice[]) {
  const connected = devices.filter(
    (d) => d.state === CONNECTED && d.device !== 'lo',
  );
  if (connected.some((d) => d.metered === 'yes')) return true;
  if (connected.length > 0 && connected.every((d) => d.metered === 'no')) {
    return false;
  }
  return undefined;
}

/** Asks NetworkManager; never throws. */
export async function linuxMetered(
  run: CommandRunner,
  timeoutMs: number,
): Promise<boolean | undefined> {
  const result = await run(NMCLI, NMCLI_ARGS, { timeoutMs });
  if (result.exitCode !== 0) return undefined;
  return meteredFrom(parseNmcliDevices(result.stdout));
}
