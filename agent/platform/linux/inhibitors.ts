import type { CommandRunner } from '../command.js';

/**
 * Presentation on Linux from logind's inhibitor locks: `systemd-inhibit
 * --list --no-pager` prints a table (WHO UID USER PID COMM WHAT WHY MODE,
 * columns as wide as their widest value, WHO may hold spaces) and a line
 * "N inhibitors listed.". A program that blocks `idle` keeps the screen
 * on: a player, a presentation, a kiosk; one run by a user (UID 1000 or
 * above) means the user is watching or presenting. Daemons' sleep and key
 * handling locks do not count.
 *
 * Known limitation: programs that keep the screen on only through the
 * desktop (org.freedesktop.ScreenSaver, GNOME's session manager, the
 * Wayland idle-inhibit protocol) do not appear in logind's list; the
 * agent runs as a system service and does not join the user's session
 * bus. Such a presentation is unknown, which does not block.
 */
export const SYSTEMD_INHIBIT = 'systemd-inhibit';
export const SYSTEMD_INHIBIT_ARGS = ['--list', '--no-pager'];

export interface Inhibitor {
  who: string;
  uid: number;
  comm: string;
  what: string[];
  why: string;
  mode: string;
}

const COLUMNS = ['WHO', 'UID', 'USER', 'PID', 'COMM', 'WHAT', 'WHY', 'MODE'];
/** Regular users' ids start here on every common distribution. */
const FIRST_USER_UID = 1000;

/** The inhibitor table; undefined when the output has no such table. */
export function parseInhibitors(text: string): Inhibitor[] | undefined {
  const lines = text.split(/\r?\n/);
  const headerAt = lines.findIndex((l) => /^\s*WHO\s+UID\s+USER/.test(l));
  if (headerAt < 0) {
    return /no inhibitors/i.test(text) ? [] : undefined;
  }
  const header = lines[headerAt] ?? '';
  const starts = COLUMNS.map((name) =>
    header.search(new RegExp(`\\b${name}\\b`)),
  );
  if (starts.some((s) => s < 0)) return undefined;

  const rows: Inhibitor[] = [];
  for (const line of lines.slice(headerAt + 1)) {
    if (line.trim() === '' || /inhibitors listed/.test(line)) break;
    const cell = (i: number) =>
      line.slice(starts[i], starts[i + 1] ?? line.length).trim();
    rows.push({
      who: cell(0),
      uid: Number.parseInt(cell(1), 10),
      comm: cell(4),
      what: cell(5).split(':'),
      why: cell(6),
      mode: cell(7),
    });
  }
  return rows;
}

/** The users' programs that block idle (players, presentations). */
export function idleBlockers(inhibitors: readonly Inhibitor[]) {
  return inhibitors.filter(
    (i) =>
      i.what.includes('idle') && i.mode === 'block' && i.uid >= FIRST_USER_UID,
  );
}

/** Asks logind; never throws. `by` names what keeps the screen on. */
export async function linuxPresenting(
  run: CommandRunner,
  timeoutMs: number,
): Promise<{ presenting?: boolean; by?: string[] }> {
  const result = await run(SYSTEMD_INHIBIT, SYSTEMD_INHIBIT_ARGS, {
    timeoutMs,
  });
  if (result.exitCode !== 0) return {};
  const inhibitors = parseInhibitors(result.stdout);
  if (!inhibitors) return {};
  const blockers = idleBlockers(inhibitors);
  return blockers.length > 0
    ? { presenting: true, by: blockers.map((b) => `${b.who}: ${b.why}`) }
    : { presenting: false };
}
