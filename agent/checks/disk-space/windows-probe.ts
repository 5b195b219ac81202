import { ProbeError } from '../../errors.js';
import type { CommandRunner } from '../../platform/command.js';
import { runPowerShell } from '../../platform/windows/powershell.js';
import type { ProbedVolumes } from './types.js';
import { parseWindowsVolumes, toMonitoredVolumes } from './windows-volumes.js';

/**
 * Every volume Windows knows, from Win32_Volume: unlike Win32_LogicalDisk it
 * lists letterless recovery and EFI partitions and folder-mounted volumes,
 * and unlike Get-Volume it says which volume Windows boots from and gives
 * the folder a volume is mounted at. `-InputObject @(...)` keeps the output
 * an array when there is a single volume. The fields are documented in
 * docs/agent.md.
 */
export const WIN32_VOLUME_SCRIPT = [
  '$volumes = @(Get-CimInstance -ClassName Win32_Volume |',
  '  Select-Object DeviceID, Name, DriveLetter, DriveType, FileSystem,',
  '    Label, Capacity, FreeSpace, BootVolume, SystemVolume)',
  'ConvertTo-Json -InputObject $volumes -Compress',
].join('\n');

export async function probeWindowsVolumes(
  run: CommandRunner,
): Promise<ProbedVolumes> {
  const stdout = (await runPowerShell(run, WIN32_VOLUME_SCRIPT)).trim();
  // Only JSON is expected here; wmic-style text would be a different tool.
  if (!stdout.startsWith('[') && !stdout.startsWith('{')) {
    throw new ProbeError('output-unparsed', 'Win32_Volume output is not JSON', {
      head: stdout.slice(0, 80),
    });
  }
  return toMonitoredVolumes(parseWindowsVolumes(stdout));
}
