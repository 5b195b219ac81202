/**
 * Parser of `wmic <alias> get /format:list` output: one `Key=Value` line per
 * property, instances separated by blank lines. wmic writes UTF-16 with
 * CR CR LF line ends when redirected; the caller decodes, this strips the
 * CRs. A line that is not `Key=Value` (a prompt, a note) ends the instance.
 *
 * Values stay strings: an empty value means "not reported", which is not
 * the same as 0 (a CD drive without a disc has an empty Size).
 */
export type WmicInstance = Record<string, string>;

const PROPERTY = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

export function parseWmicList(text: string): WmicInstance[] {
  const instances: WmicInstance[] = [];
  let current: WmicInstance | undefined;

  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r+$/, '');
    const match = PROPERTY.exec(line);
    if (!match) {
      if (current) instances.push(current);
      current = undefined;
      continue;
    }
    current ??= {};
    current[match[1] as string] = (match[2] ?? '').trim();
  }

  if (current) instances.push(current);
  return instances;
}
