import type { DeviceConditions } from '../../scheduler/types.js';
import type { CommandRunner } from '../command.js';
import { runPowerShell } from './powershell.js';

/**
 * Battery, metered network and presentation on Windows, in one PowerShell
 * run (docs/windows-probes.md, "Device conditions"):
 *
 * - power: SystemInformation.PowerStatus (GetSystemPowerStatus) for the
 *   power line, Win32_Battery.BatteryStatus when the line is Unknown;
 * - network cost: the WinRT NetworkInformation internet connection
 *   profile's ConnectionCost (NetworkCostType Unrestricted, Fixed,
 *   Variable or Unknown; Roaming; OverDataLimit);
 * - presentation: SHQueryUserNotificationState (QUNS_BUSY 2,
 *   QUNS_RUNNING_D3D_FULL_SCREEN 3, QUNS_PRESENTATION_MODE 4) and the
 *   session the script runs in.
 *
 * Each part is caught on its own: one that fails is unknown, never all.
 */
export const WINDOWS_CONDITIONS_SCRIPT = `
$out = [ordered]@{ sessionId = (Get-Process -Id $PID).SessionId }
try {
  Add-Type -AssemblyName System.Windows.Forms
  $p = [System.Windows.Forms.SystemInformation]::PowerStatus
  $out.powerLineStatus = [string]$p.PowerLineStatus
  $out.batteryChargeStatus = [string]$p.BatteryChargeStatus
  $b = @(Get-CimInstance -ClassName Win32_Battery -ErrorAction Stop)
  $out.batteryStatus = @($b | ForEach-Object { [int]$_.BatteryStatus })
} catch { $out.powerError = $_.Exception.Message }
try {
  $t = [Windows.Networking.Connectivity.NetworkInformation, Windows.Networking.Connectivity, ContentType = WindowsRuntime]
  $profile = $t::GetInternetConnectionProfile()
  if ($profile) {
    $c = $profile.GetConnectionCost()
    $out.cost = [ordered]@{
      networkCostType = [string]$c.NetworkCostType
      roaming = [bool]$c.Roaming
      overDataLimit = [bool]$c.OverDataLimit
      approachingDataLimit = [bool]$c.ApproachingDataLimit
    }
  } else { $out.cost = $null }
} catch { $out.costError = $_.Exception.Message }
try {
  Add-Type -Namespace UpkeepShell -Name Notify -MemberDefinition @'
[DllImport("shell32.dll")]
public static extern int SHQueryUserNotificationState(out int state);
'@
  $state = 0
  $hr = [UpkeepShell.Notify]::SHQueryUserNotificationState([ref]$state)
  $out.notificationHresult = $hr
  $out.notificationState = $state
} catch { $out.notificationError = $_.Exception.Message }
$out | ConvertTo-Json -Depth 4 -Compress
`;

/** QUERY_USER_NOTIFICATION_STATE values that mean "do not disturb". */
const PRESENTING_STATES: Record<number, string> = {
  2: 'QUNS_BUSY',
  3: 'QUNS_RUNNING_D3D_FULL_SCREEN',
  4: 'QUNS_PRESENTATION_MODE',
};
/** Win32_Battery.BatteryStatus: 1 is "the battery is discharging". */
const DISCHARGING = 1;

export interface WindowsConditions extends DeviceConditions {
  /** What decided presenting, for the log (QUNS_… name). */
  presentingBy?: string;
  /** Why a part is unknown (session 0, an error), for the log. */
  unknown?: string[];
}

/** The script's JSON, judged; odd or missing fields are unknown. */
export function parseWindowsConditions(json: string): WindowsConditions {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return { unknown: ['output is not JSON'] };
  }
  const unknown: string[] = [];
  const onBattery = powerOf(raw, unknown);
  const metered = costOf(raw, unknown);
  const presenting = presentingOf(raw, unknown);
  return {
    ...(onBattery === undefined ? {} : { onBattery }),
    ...(metered === undefined ? {} : { metered }),
    ...(presenting.presenting === undefined ? {} : presenting),
    ...(unknown.length > 0 ? { unknown } : {}),
  };
}

function powerOf(raw: Record<string, unknown>, unknown: string[]) {
  if (raw.powerLineStatus === 'Offline') return true;
  if (raw.powerLineStatus === 'Online') return false;
  // Unknown line status (some tablets, VMs): the batteries say.
  const statuses = Array.isArray(raw.batteryStatus) ? raw.batteryStatus : [];
  if (statuses.length === 0) {
    // No battery at all is a desktop on mains; an error is unknown.
    if (raw.powerError === undefined && 'batteryStatus' in raw) return false;
    unknown.push(`power: ${String(raw.powerError ?? 'no reading')}`);
    return undefined;
  }
  return statuses.includes(DISCHARGING);
}

function costOf(raw: Record<string, unknown>, unknown: string[]) {
  const cost = raw.cost as Record<string, unknown> | null | undefined;
  if (!cost) {
    const why = raw.costError ?? 'no internet connection profile';
    unknown.push(`network cost: ${String(why)}`);
    return undefined;
  }
  if (cost.roaming === true || cost.overDataLimit === true) return true;
  if (cost.networkCostType === 'Fixed' || cost.networkCostType === 'Variable') {
    return true;
  }
  if (cost.networkCostType === 'Unrestricted') return false;
  unknown.push(`network cost: ${String(cost.networkCostType)}`);
  return undefined;
}

/**
 * Known limitation: a service runs in session 0, where the shell reports
 * its own (empty) desktop, not the user's: from there the reading says
 * nothing and is unknown. The answer is real only when the agent or this
 * script runs in the signed-in user's session.
 */
function presentingOf(raw: Record<string, unknown>, unknown: string[]) {
  if (raw.sessionId === 0) {
    unknown.push('presentation: session 0 cannot see the user session');
    return {};
  }
  const state = raw.notificationState;
  if (raw.notificationHresult !== 0 || typeof state !== 'number') {
    const why = raw.notificationError ?? raw.notificationHresult;
    unknown.push(`presentation: ${String(why ?? 'no reading')}`);
    return {};
  }
  const by = PRESENTING_STATES[state];
  return by ? { presenting: true, presentingBy: by } : { presenting: false };
}

/** Runs the script; never throws (a failed run is all unknown). */
export async function windowsConditions(
  run: CommandRunner,
  timeoutMs: number,
): Promise<WindowsConditions> {
  try {
    const stdout = await runPowerShell(run, WINDOWS_CONDITIONS_SCRIPT, {
      timeoutMs,
    });
    return parseWindowsConditions(stdout);
  } catch (error) {
    return { unknown: [`PowerShell: ${(error as Error).message}`] };
  }
}
