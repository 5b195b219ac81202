import type { CommandRunner } from '../../platform/command.js';
import {
  POWERSHELL,
  powershellArgs,
} from '../../platform/windows/powershell.js';
import type { PatchProbe } from './apt-probe.js';
import { commandFailure, unparsedFinding } from './command-finding.js';
import { parseSoftwareUpdate } from './macos-parse.js';
import { parseWindowsPatch } from './windows-parse.js';
import { WINDOWS_PATCH_SCRIPT } from './windows-script.js';

export const patchProbeDefaults = {
  /** A search against Microsoft or WSUS takes minutes. @default 10 min */
  windowsTimeoutMs: 10 * 60_000,
  /** softwareupdate asks Apple's catalogue over the network. @default 10 min */
  macTimeoutMs: 10 * 60_000,
};

/**
 * Windows: the script's JSON. A non-zero exit with no JSON, or JSON of the
 * wrong shape, is unreadable output, never "nothing missing".
 */
export async function probeWindows(
  run: CommandRunner,
  timeoutMs = patchProbeDefaults.windowsTimeoutMs,
): Promise<PatchProbe> {
  const result = await run(POWERSHELL, powershellArgs(WINDOWS_PATCH_SCRIPT), {
    timeoutMs,
  });
  const failure = commandFailure(result, 'windows-update');
  if (failure) return { problems: [failure] };

  const state = parseWindowsPatch(result.stdout);
  if (!state) {
    const why = `exit ${result.exitCode}, no patch JSON`;
    return { problems: [unparsedFinding(result, 'windows-update', why)] };
  }
  return { state, problems: [] };
}

/** macOS: `softwareupdate --list`; its "none" notice goes to stderr. */
export async function probeMac(
  run: CommandRunner,
  timeoutMs = patchProbeDefaults.macTimeoutMs,
): Promise<PatchProbe> {
  const result = await run('softwareupdate', ['--list'], { timeoutMs });
  const failure = commandFailure(result, 'softwareupdate');
  if (failure) return { problems: [failure] };

  const updates = parseSoftwareUpdate(result.stdout, result.stderr);
  if (!updates) {
    const why = `exit ${result.exitCode}, no update list`;
    return { problems: [unparsedFinding(result, 'softwareupdate', why)] };
  }
  return { state: { source: 'softwareupdate', updates }, problems: [] };
}
