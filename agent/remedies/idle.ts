import { runPowerShell } from '../platform/windows/powershell.js';
import type { RemedyContext } from './types.js';

/**
 * Whether the user is away, for an install that missed its maintenance
 * window and now runs "as soon as the device is back and idle".
 *
 * Windows: seconds since the last keyboard or mouse input of the session
 * (GetLastInputInfo, user32). Linux: systemd-logind's IdleHint of every
 * session (`loginctl`); no session at all is idle.
 */
export const idleDefaults = {
  /** No input for this long is idle, s. @default 600 */
  idleSeconds: 600,
};

export const IDLE_SCRIPT = [
  'Add-Type -TypeDefinition @"',
  'using System;',
  'using System.Runtime.InteropServices;',
  'public static class UpkeepIdle {',
  '  [StructLayout(LayoutKind.Sequential)]',
  '  struct LASTINPUTINFO { public uint cbSize; public uint dwTime; }',
  '  [DllImport("user32.dll")]',
  '  static extern bool GetLastInputInfo(ref LASTINPUTINFO info);',
  '  public static uint Seconds() {',
  '    var info = new LASTINPUTINFO();',
  '    info.cbSize = (uint)Marshal.SizeOf(info);',
  '    GetLastInputInfo(ref info);',
  '    return ((uint)Environment.TickCount - info.dwTime) / 1000;',
  '  }',
  '}',
  '"@',
  '[pscustomobject]@{ IdleSeconds = [UpkeepIdle]::Seconds() } |',
  '  ConvertTo-Json -Compress',
].join('\n');

export async function isIdle(
  ctx: Pick<RemedyContext, 'platform' | 'run'>,
  idleSeconds = idleDefaults.idleSeconds,
): Promise<boolean> {
  if (ctx.platform === 'win32') {
    const stdout = await runPowerShell(ctx.run, IDLE_SCRIPT).catch(() => '');
    const seconds = Number(/"IdleSeconds":(\d+)/.exec(stdout)?.[1]);
    return Number.isFinite(seconds) && seconds >= idleSeconds;
  }
  const list = await ctx.run('loginctl', [
    'list-sessions',
    '--no-legend',
    '--no-pager',
  ]);
  if (list.exitCode !== 0) return true;
  const ids = list.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0])
    .filter((id): id is string => Boolean(id));
  for (const id of ids) {
    const hint = await ctx.run('loginctl', [
      'show-session',
      id,
      '-p',
      'IdleHint',
      '--value',
    ]);
    if (hint.stdout.trim() !== 'yes') return false;
  }
  return true;
}
