import { describe, expect, it } from 'vitest';
import { fakeRunner } from '../../remedies/fake-runner.js';
import { fixture, recordedOs } from '../../test-support/recorded-os.js';
import {
  parseWindowsConditions,
  windowsConditions,
} from './device-conditions.js';

// PowerShell cannot run here. The fixtures are the script's JSON as it
// prints it, written from the documented fields: PowerStatus
// (PowerLineStatus, BatteryChargeStatus), Win32_Battery.BatteryStatus,
// ConnectionCost (NetworkCostType, Roaming, OverDataLimit,
// ApproachingDataLimit) and QUERY_USER_NOTIFICATION_STATE, for a laptop
// presenting on a tethered phone, a desktop in the office, and the script
// run by a service in session 0.
const presenting = fixture(
  import.meta.url,
  'conditions.laptop-hotspot-presenting.json',
);
const desktop = fixture(import.meta.url, 'conditions.desktop-office.json');
const session0 = fixture(import.meta.url, 'conditions.service-session0.json');

describe('parseWindowsConditions', () => {
  it('reads battery, a variable-cost network and presentation mode', () => {
    expect(parseWindowsConditions(presenting)).toEqual({
      onBattery: true,
      metered: true,
      presenting: true,
      presentingBy: 'QUNS_PRESENTATION_MODE',
    });
  });

  it('reads a desktop on an unrestricted network accepting notifications', () => {
    expect(parseWindowsConditions(desktop)).toEqual({
      onBattery: false,
      metered: false,
      presenting: false,
    });
  });

  it('leaves presentation unknown in session 0, and says why', () => {
    const read = parseWindowsConditions(session0);

    expect(read.onBattery).toBe(false);
    expect(read.presenting).toBeUndefined();
    expect(read.metered).toBeUndefined();
    expect(read.unknown).toEqual([
      'network cost: no internet connection profile',
      'presentation: session 0 cannot see the user session',
    ]);
  });

  it('counts roaming and a passed data limit as metered', () => {
    const roaming = JSON.parse(desktop);
    roaming.cost = { networkCostType: 'Unrestricted', roaming: true };

    expect(parseWindowsConditions(JSON.stringify(roaming)).metered).toBe(true);
  });

  it('reads a full-screen game as presenting', () => {
    const game = { ...JSON.parse(desktop), notificationState: 3 };

    expect(parseWindowsConditions(JSON.stringify(game))).toMatchObject({
      presenting: true,
      presentingBy: 'QUNS_RUNNING_D3D_FULL_SCREEN',
    });
  });

  it('turns output that is not JSON into all unknown', () => {
    expect(parseWindowsConditions('Add-Type : access denied')).toEqual({
      unknown: ['output is not JSON'],
    });
  });
});

describe('windowsConditions', () => {
  it('sends the script once and never throws on a failed run', async () => {
    const ok = recordedOs({ 'powershell.exe': { stdout: presenting } });
    const failed = recordedOs({ 'powershell.exe': { exitCode: 1 } });

    const read = await windowsConditions(ok.run, 5_000);
    const none = await windowsConditions(failed.run, 5_000);

    expect(read.presenting).toBe(true);
    expect(none.onBattery).toBeUndefined();
    expect(none.unknown?.[0]).toMatch(/^PowerShell: /);
  });

  it('sends one script that asks the three documented sources', async () => {
    const { run, calls } = fakeRunner([{ stdout: desktop }]);

    await windowsConditions(run, 5_000);

    expect(calls).toHaveLength(1);
    expect(calls[0]?.timeoutMs).toBe(5_000);
    expect(calls[0]?.script).toContain('SystemInformation]::PowerStatus');
    expect(calls[0]?.script).toContain('GetInternetConnectionProfile()');
    expect(calls[0]?.script).toContain('SHQueryUserNotificationState');
  });
});
