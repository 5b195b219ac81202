import type { CommandRunner } from '../command.js';

/**
 * Power source and presentation on macOS from `pmset`:
 *
 * - `pmset -g batt` starts with "Now drawing from 'AC Power'" (or
 *   'Battery Power', 'UPS Power'), then one line per battery.
 * - `pmset -g assertions` lists, under "Listed by owning process:", each
 *   power assertion as `pid N(name): [id] time Type named: "reason"`.
 *   PreventUserIdleDisplaySleep (NoDisplaySleepAssertion on old systems)
 *   keeps the screen on: Keynote or PowerPoint playing a slideshow, a
 *   video playing, a screen share. One held by any process means the user
 *   is presenting or watching.
 *
 * Known limitation: macOS tells a program whether its network path is
 * expensive or constrained (Low Data Mode) only through Network.framework
 * (NWPath.isExpensive, isConstrained); no command prints it, and the agent
 * ships no native code. Metered is unknown on macOS and never blocks.
 */
export const PMSET = 'pmset';

/** true on battery, false on AC or UPS power, undefined otherwise. */
export function parsePmsetBattery(text: string): boolean | undefined {
  const source = /Now drawing from '([^']+)'/.exec(text)?.[1];
  if (source === 'Battery Power') return true;
  if (source === 'AC Power' || source === 'UPS Power') return false;
  return undefined;
}

const DISPLAY_ASSERTIONS =
  /\b(PreventUserIdleDisplaySleep|NoDisplaySleepAssertion)\b/;

/**
 * The processes that keep the display awake, as `name: reason`; undefined
 * when the output has no per-process list at all.
 */
export function parsePmsetAssertions(text: string): string[] | undefined {
  const at = text.indexOf('Listed by owning process:');
  if (at < 0) return undefined;
  const holders: string[] = [];
  for (const line of text.slice(at).split(/\r?\n/).slice(1)) {
    if (!/^\s+pid \d+/.test(line)) {
      if (/^\S/.test(line)) break;
      continue;
    }
    if (!DISPLAY_ASSERTIONS.test(line)) continue;
    const name = /pid \d+\(([^)]*)\)/.exec(line)?.[1] ?? 'unknown';
    const reason = /named: "([^"]*)"/.exec(line)?.[1] ?? '';
    holders.push(reason ? `${name}: ${reason}` : name);
  }
  return holders;
}

/** Asks pmset twice; never throws. */
export async function macConditions(run: CommandRunner, timeoutMs: number) {
  const [batt, assertions] = await Promise.all([
    run(PMSET, ['-g', 'batt'], { timeoutMs }),
    run(PMSET, ['-g', 'assertions'], { timeoutMs }),
  ]);
  const onBattery =
    batt.exitCode === 0 ? parsePmsetBattery(batt.stdout) : undefined;
  const holders =
    assertions.exitCode === 0
      ? parsePmsetAssertions(assertions.stdout)
      : undefined;
  return {
    ...(onBattery === undefined ? {} : { onBattery }),
    ...(holders === undefined
      ? {}
      : { presenting: holders.length > 0, presentingBy: holders }),
  };
}
