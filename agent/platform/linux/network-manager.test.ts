import { describe, expect, it } from 'vitest';
import { fixture, recordedOs } from '../../test-support/recorded-os.js';
import {
  linuxMetered,
  meteredFrom,
  parseNmcliDevices,
} from './network-manager.js';

// The fixtures are in the terse layout `nmcli -t -f GENERAL.DEVICE,
// GENERAL.STATE,GENERAL.METERED device show` prints (NetworkManager 1.42,
// Debian 12), written from its documented fields for a laptop on a phone's
// hotspot and a docked laptop in the office.
const hotspot = fixture(import.meta.url, 'nmcli-device-show.hotspot.txt');
const office = fixture(import.meta.url, 'nmcli-device-show.office.txt');

describe('parseNmcliDevices', () => {
  it('reads each device block with its state and metered flag', () => {
    expect(parseNmcliDevices(hotspot)).toEqual([
      { device: 'wlp0s20f3', state: 100, metered: 'yes', guessed: true },
      { device: 'enp0s31f6', state: 20, metered: 'unknown', guessed: false },
      {
        device: 'p2p-dev-wlp0s20f3',
        state: 30,
        metered: 'unknown',
        guessed: false,
      },
      { device: 'lo', state: 100, metered: 'no', guessed: true },
    ]);
  });

  it('skips blocks that lack a field', () => {
    const text = 'GENERAL.DEVICE:eth0\nGENERAL.METERED:yes\n\nnonsense';

    expect(parseNmcliDevices(text)).toEqual([]);
  });
});

describe('meteredFrom', () => {
  it('says metered when a connected device is, even by a guess', () => {
    expect(meteredFrom(parseNmcliDevices(hotspot))).toBe(true);
  });

  it('says not metered when every connected device says no', () => {
    expect(meteredFrom(parseNmcliDevices(office))).toBe(false);
  });

  it('cannot tell when nothing but loopback is connected', () => {
    const devices = parseNmcliDevices(hotspot).filter((d) => d.device === 'lo');

    expect(meteredFrom(devices)).toBeUndefined();
  });
});

describe('linuxMetered', () => {
  it('asks nmcli and judges its answer', async () => {
    const os = recordedOs({ 'nmcli -t': { stdout: hotspot } });

    expect(await linuxMetered(os.run, 1_000)).toBe(true);
    expect(os.calls).toEqual(['nmcli -t -f']);
  });

  it('is unknown without NetworkManager (missing, or not running)', async () => {
    const missing = recordedOs({});
    const stopped = recordedOs({
      nmcli: { exitCode: 8, stderr: 'Error: NetworkManager is not running.' },
    });

    expect(await linuxMetered(missing.run, 1_000)).toBeUndefined();
    expect(await linuxMetered(stopped.run, 1_000)).toBeUndefined();
  });
});
