import type { ClamavDatabase, XProtectInstall } from './types.js';

/**
 * A ClamAV database header: the first 512 bytes of a CVD or CLD file,
 * `ClamAV-VDB:<build time>:<version>:<signatures>:<flevel>:<md5>:<dsig>:
 * <builder>:<build time in epoch seconds>`. The epoch field is preferred;
 * older files only carry the text time (`07 Mar 2017 08-02 -0500`, with a
 * dash because the colon is the separator).
 */
export function parseCvdHeader(
  header: string,
  name = 'database',
): ClamavDatabase | undefined {
  const start = header.indexOf('ClamAV-VDB:');
  if (start < 0) return undefined;

  const fields =
    header
      .slice(start)
      .split(/[\0\r\n]/)[0]
      ?.split(':') ?? [];
  const version = Number(fields[2]);
  const epoch = Number((fields[8] ?? '').trim());
  const builtAt =
    Number.isFinite(epoch) && epoch > 0
      ? new Date(epoch * 1000)
      : textTime(fields[1] ?? '');

  return {
    name,
    ...(Number.isFinite(version) ? { version } : {}),
    ...(builtAt ? { builtAt } : {}),
  };
}

function textTime(text: string): Date | undefined {
  const m = /^(\d{1,2}) (\w{3}) (\d{4}) (\d{2})[-:](\d{2}) ([+-]\d{4})$/.exec(
    text.trim(),
  );
  if (!m) return undefined;
  const iso = `${m[2]} ${m[1]} ${m[3]} ${m[4]}:${m[5]}:00 ${m[6]}`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/**
 * ClamAV database ages found in a recorded output: raw headers (with the
 * `==> daily.cvd <==` names `head` prints), `sigtool --info` blocks, and
 * `clamscan --version` (`ClamAV 1.0.5/27215/Fri Mar 15 08:32:00 2024`).
 */
export function clamavDatabasesIn(text: string): ClamavDatabase[] {
  const found: ClamavDatabase[] = [];
  let name = 'database';

  for (const line of text.split(/\r?\n/)) {
    const file = /(?:==>|File:)\s*(?:.*\/)?(\w+)\.c[lv]d/i.exec(line);
    if (file?.[1]) name = file[1];

    const header = parseCvdHeader(line, name);
    if (header) found.push(header);

    const built = /^Build time:\s*(.+)$/i.exec(line.trim());
    const time = built?.[1] ? textTime(built[1].replace(/:/, '-')) : undefined;
    if (time) found.push({ name, builtAt: time });

    const version = /^ClamAV [\d.]+\/(\d+)\/(.+)$/.exec(line.trim());
    const at = version?.[2] ? Date.parse(`${version[2]} UTC`) : Number.NaN;
    if (version && !Number.isNaN(at)) {
      found.push({
        name: 'daily',
        version: Number(version[1]),
        builtAt: new Date(at),
      });
    }
  }
  return found;
}

/**
 * XProtect updates from `system_profiler SPInstallHistoryDataType`: each
 * `XProtect...:` block with an `Install Date:`. The newest install dates
 * the definitions on macOS.
 */
export function xprotectInstallsIn(text: string): XProtectInstall[] {
  const installs: XProtectInstall[] = [];
  let current: { name: string; version?: string } | undefined;

  for (const line of text.split(/\r?\n/)) {
    const heading = /^\s*(XProtect\w*):\s*$/.exec(line);
    if (heading?.[1]) current = { name: heading[1] };
    if (!current) continue;

    const version = /^\s*Version:\s*(\S+)/.exec(line);
    if (version?.[1]) current.version = version[1];

    const date = /^\s*Install Date:\s*(.+)$/.exec(line);
    const at = date?.[1] ? installDate(date[1]) : undefined;
    if (at) {
      installs.push({ ...current, installedAt: at });
      current = undefined;
    }
  }
  return installs;
}

/** `2/27/24, 4:10 AM` (system_profiler's short US form). */
function installDate(text: string): Date | undefined {
  const m =
    /^(\d{1,2})\/(\d{1,2})\/(\d{2,4}),?\s+(\d{1,2}):(\d{2})\s*(AM|PM)?/i.exec(
      text.trim(),
    );
  if (!m) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : new Date(ms);
  }
  const year = Number(m[3]) < 100 ? 2000 + Number(m[3]) : Number(m[3]);
  let hour = Number(m[4]);
  if (m[6]?.toUpperCase() === 'PM' && hour < 12) hour += 12;
  if (m[6]?.toUpperCase() === 'AM' && hour === 12) hour = 0;
  return new Date(
    Date.UTC(year, Number(m[1]) - 1, Number(m[2]), hour, Number(m[5])),
  );
}
