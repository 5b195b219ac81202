/**
 * A time as an ISO 8601 string in UTC, the same text as
 * `Date.prototype.toISOString`, built from the UTC fields.
 *
 * Why not `toISOString`: in V8 its first call maps about 1 MB of the time
 * zone data the node binary carries, and the pages stay resident for the
 * life of the process. The agent stamps every log line and report, so it
 * would carry that megabyte for nothing; the UTC getters touch no zone
 * data (docs/agent.md, Process and memory).
 */
export function isoTime(time: Date | number): string {
  const date = typeof time === 'number' ? new Date(time) : time;
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid time value');

  const year = date.getUTCFullYear();
  return (
    `${isoYear(year)}-${pad(date.getUTCMonth() + 1, 2)}` +
    `-${pad(date.getUTCDate(), 2)}T${pad(date.getUTCHours(), 2)}` +
    `:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}` +
    `.${pad(date.getUTCMilliseconds(), 3)}Z`
  );
}

// Years outside 0000-9999 take a sign and six digits (ECMA-262's
// expanded years), as toISOString writes them.
function isoYear(year: number): string {
  if (year >= 0 && year <= 9999) return pad(year, 4);
  return `${year < 0 ? '-' : '+'}${pad(Math.abs(year), 6)}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
