import { instantOf, wallTime } from '../../core/index.js';
import type { Rng } from './rng.js';

/**
 * How a simulated device spends its weeks: awake sessions, each ending in
 * sleep (lid closed), a clean shutdown or a power loss, with Wi-Fi
 * outages and stretches on battery inside them. Times are drawn in the
 * client's time zone, so office hours follow the wall clock.
 *
 *   office    weekdays ~08:30-17:45, lunch sleep now and then, a rare
 *             weekend hour; a meeting on battery on some days
 *   roamer    2-4 short sessions a day, weekends too, often on battery,
 *             flaky networks, now and then a day offline (a flight)
 *   desktop   always on, a clean reboot every Tuesday night
 *   night     20:00-02:30, sleeping through every daytime window
 * A fifth of the non-desktop devices also take a week or more away
 * (7-10 days off), the case catch-up exists for.
 */
export type ProfileName = 'office' | 'roamer' | 'desktop' | 'night';
export type EndMode = 'sleep' | 'shutdown' | 'power-loss';

export interface Span {
  from: number;
  to: number;
}

export interface Session extends Span {
  /** How the session ends. */
  end: EndMode;
  /** Wi-Fi down inside the session. */
  outages: Span[];
  /** On battery inside the session. */
  battery: Span[];
}

export interface DevicePlan {
  profile: ProfileName;
  sessions: Session[];
  away?: Span;
}

export const PROFILE_MIX: readonly [ProfileName, number][] = [
  ['office', 0.55],
  ['roamer', 0.25],
  ['desktop', 0.15],
  ['night', 0.05],
];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function pickProfile(rng: Rng): ProfileName {
  let r = rng.next();
  for (const [name, share] of PROFILE_MIX) {
    if (r < share) return name;
    r -= share;
  }
  return 'office';
}

/** The sessions of one device from `start` for `days` days. */
export function planDevice(
  rng: Rng,
  timeZone: string,
  start: number,
  days: number,
): DevicePlan {
  const profile = pickProfile(rng);
  if (profile === 'desktop') {
    return { profile, sessions: desktopSessions(rng, timeZone, start, days) };
  }
  const away = rng.chance(0.2) ? awaySpan(rng, start, days) : undefined;
  const sessions: Session[] = [];
  for (let day = 0; day < days; day++) {
    const base = localMidnight(start + day * DAY + 12 * HOUR, timeZone);
    const draft = daySessions(profile, rng, base, timeZone);
    // A session under way when the run starts would begin all at once.
    sessions.push(
      ...draft.filter((s) => s.from >= start && !overlaps(s, away)),
    );
  }
  return { profile, sessions: finish(rng, profile, sessions, away), away };
}

function daySessions(
  profile: ProfileName,
  rng: Rng,
  midnight: number,
  timeZone: string,
): Session[] {
  const weekday = wallTime(midnight + 12 * HOUR, timeZone).weekday;
  const weekend = weekday === 0 || weekday === 6;
  const at = (hours: number) => midnight + hours * HOUR;

  if (profile === 'office') {
    if (weekend) {
      if (!rng.chance(0.15)) return [];
      const from = at(rng.between(10, 17));
      return [draft(from, from + rng.between(1, 3) * HOUR)];
    }
    const from = at(rng.between(7.5, 9.5));
    const to = at(rng.between(16.5, 19));
    if (!rng.chance(0.3)) return [draft(from, to)];
    const lunch = at(rng.between(12, 12.5));
    const back = lunch + rng.between(30, 60) * MINUTE;
    return [draft(from, lunch), draft(back, to)];
  }
  if (profile === 'night') {
    if (!rng.chance(weekend ? 0.5 : 0.85)) return [];
    const from = at(rng.between(20, 21));
    return [draft(from, at(24 + rng.between(1, 2.5)))];
  }
  return roamerDay(rng, at, weekend);
}

function roamerDay(rng: Rng, at: (hours: number) => number, weekend: boolean) {
  if (weekend && !rng.chance(0.5)) return [];
  const count = 2 + Math.floor(rng.next() * 3);
  const starts = Array.from({ length: count }, () => rng.between(7, 21)).sort(
    (a, b) => a - b,
  );
  const sessions: Session[] = [];
  for (const hours of starts) {
    const from = Math.max(at(hours), (sessions.at(-1)?.to ?? 0) + 10 * MINUTE);
    const to = from + rng.between(0.5, 3) * HOUR;
    sessions.push(draft(from, to));
  }
  return sessions;
}

function desktopSessions(
  rng: Rng,
  timeZone: string,
  start: number,
  days: number,
): Session[] {
  const sessions: Session[] = [];
  // Enrolled during the first hour, not all at the same second.
  let from = start + rng.between(0, 60) * MINUTE;
  for (let day = 0; day < days; day++) {
    const midnight = localMidnight(start + day * DAY + 12 * HOUR, timeZone);
    if (wallTime(midnight + 12 * HOUR, timeZone).weekday !== 2) continue;
    const reboot = midnight + 3 * HOUR + rng.between(0, 30) * MINUTE;
    if (reboot <= from) continue;
    sessions.push({ ...draft(from, reboot), end: 'shutdown' });
    from = reboot + rng.between(2, 6) * MINUTE;
  }
  sessions.push({ ...draft(from, start + days * DAY + DAY), end: 'shutdown' });
  for (const session of sessions) {
    session.outages = outages(rng, session, 72 * HOUR);
  }
  return sessions;
}

/** Ends, outages and battery for each session, in time order. */
function finish(
  rng: Rng,
  profile: ProfileName,
  sessions: Session[],
  away: Span | undefined,
): Session[] {
  sessions.sort((a, b) => a.from - b.from);
  for (const [i, session] of sessions.entries()) {
    const next = sessions[i + 1];
    const goingAway = away !== undefined && next && next.from > away.from;
    session.end = goingAway
      ? rng.pick(['shutdown', 'sleep'])
      : endMode(rng, profile);
    const meanGap = profile === 'roamer' ? 60 * MINUTE : 150 * MINUTE;
    session.outages = outages(rng, session, meanGap);
    if (profile === 'roamer' && rng.chance(0.08)) {
      // A flight or a day at a site without a network.
      session.outages = [{ from: session.from, to: session.to }];
    } else if (profile === 'roamer' && rng.chance(0.25)) {
      // Starts somewhere without Wi-Fi: a train, a client's lobby.
      const until = session.from + rng.between(10, 60) * MINUTE;
      session.outages.unshift({ from: session.from, to: until });
    }
    session.battery = battery(rng, profile, session);
  }
  return sessions;
}

function endMode(rng: Rng, profile: ProfileName): EndMode {
  const r = rng.next();
  if (profile === 'office') {
    return r < 0.7 ? 'sleep' : r < 0.95 ? 'shutdown' : 'power-loss';
  }
  return r < 0.85 ? 'sleep' : r < 0.95 ? 'shutdown' : 'power-loss';
}

/** Wi-Fi drops: a Poisson process, each from 10 s to 20 min. */
function outages(rng: Rng, span: Span, meanGapMs: number): Span[] {
  const out: Span[] = [];
  let at = span.from + rng.exponential(meanGapMs);
  while (at < span.to) {
    const length = Math.min(
      20 * MINUTE,
      Math.max(10_000, rng.exponential(2 * MINUTE)),
    );
    out.push({ from: at, to: Math.min(span.to, at + length) });
    at += length + rng.exponential(meanGapMs);
  }
  return out;
}

function battery(rng: Rng, profile: ProfileName, session: Session): Span[] {
  if (profile === 'roamer' && rng.chance(0.6)) {
    return [{ from: session.from, to: session.to }];
  }
  if (profile === 'office' && rng.chance(0.2)) {
    const from = session.from + rng.between(0, session.to - session.from);
    return [
      { from, to: Math.min(session.to, from + rng.between(1, 3) * HOUR) },
    ];
  }
  return [];
}

function awaySpan(rng: Rng, start: number, days: number): Span {
  const from = start + Math.floor(rng.between(2, Math.max(3, days - 12))) * DAY;
  return { from, to: from + Math.floor(rng.between(7, 11)) * DAY };
}

function draft(from: number, to: number): Session {
  return { from, to, end: 'sleep', outages: [], battery: [] };
}

function overlaps(session: Span, away: Span | undefined) {
  return away !== undefined && session.from < away.to && session.to > away.from;
}

/** The instant of 00:00 on the local day of `instant`. */
export function localMidnight(instant: number, timeZone: string): number {
  const wall = wallTime(instant, timeZone);
  const local = Date.UTC(wall.year, wall.month - 1, wall.day);
  for (let shift = 0; shift <= 3 * HOUR; shift += 30 * MINUTE) {
    const found = instantOf(local + shift, timeZone);
    if (found !== undefined) return found;
  }
  throw new Error(`no instant for local midnight in ${timeZone}`);
}
