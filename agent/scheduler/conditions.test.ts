import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, recordedOs } from '../test-support/recorded-os.js';
import {
  blockingReasons,
  createConditions,
  linuxOnBattery,
} from './conditions.js';

let dir = '';
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

/** A power_supply folder as the Linux kernel lays it out in sysfs. */
async function supplies(entries: Record<string, Record<string, string>>) {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'upkeep-power-'));
  for (const [name, attributes] of Object.entries(entries)) {
    await fs.mkdir(path.join(dir, name));
    for (const [file, value] of Object.entries(attributes)) {
      await fs.writeFile(path.join(dir, name, file), `${value}\n`);
    }
  }
  return dir;
}

describe('linuxOnBattery', () => {
  it('says battery for a laptop unplugged and discharging', async () => {
    const root = await supplies({
      AC: { type: 'Mains', online: '0' },
      BAT0: { type: 'Battery', status: 'Discharging', scope: 'System' },
    });

    expect(await linuxOnBattery(root)).toBe(true);
  });

  it('says mains when the adapter is online, whatever the battery says', async () => {
    const root = await supplies({
      ADP1: { type: 'Mains', online: '1' },
      BAT0: { type: 'Battery', status: 'Discharging' },
    });

    expect(await linuxOnBattery(root)).toBe(false);
  });

  it('ignores the battery of a wireless mouse on a desktop', async () => {
    const root = await supplies({
      hidpp_battery_0: {
        type: 'Battery',
        status: 'Discharging',
        scope: 'Device',
      },
    });

    expect(await linuxOnBattery(root)).toBe(false);
  });

  it('cannot tell without the sysfs folder', async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'upkeep-power-'));

    expect(await linuxOnBattery(path.join(dir, 'missing'))).toBeUndefined();
  });
});

describe('createConditions', () => {
  it('reads the power supply folder on Linux; no NetworkManager, no logind: unknown', async () => {
    const root = await supplies({
      BAT1: { type: 'Battery', status: 'Discharging' },
    });

    const conditions = createConditions({
      platform: 'linux',
      powerSupplyDir: root,
      run: recordedOs({}).run,
    });

    expect(await conditions()).toEqual({ onBattery: true });
  });

  it('reads NetworkManager and logind on Linux', async () => {
    const root = await supplies({ AC: { type: 'Mains', online: '1' } });
    const linuxFixture = (name: string) =>
      fixture(new URL('../platform/linux/', import.meta.url).href, name);
    const { run } = recordedOs({
      nmcli: { stdout: linuxFixture('nmcli-device-show.hotspot.txt') },
      'systemd-inhibit': {
        stdout: linuxFixture('systemd-inhibit-list.presentation.txt'),
      },
    });

    const now = await createConditions({
      platform: 'linux',
      powerSupplyDir: root,
      run,
    })();

    expect(now).toEqual({
      onBattery: false,
      metered: true,
      presenting: true,
      presentingBy: ['LibreOffice Impress: Running a slide show'],
    });
    expect(blockingReasons(now)).toEqual(['metered-network', 'presenting']);
  });

  it('reports nothing, so blocks nothing, where it has no probe', async () => {
    const conditions = createConditions({ platform: 'freebsd' });

    const now = await conditions();

    expect(now).toEqual({});
    expect(blockingReasons(now)).toEqual([]);
  });

  it('names every reason that blocks heavy work', () => {
    expect(
      blockingReasons({ onBattery: true, metered: true, presenting: true }),
    ).toEqual(['on-battery', 'metered-network', 'presenting']);
  });
});
