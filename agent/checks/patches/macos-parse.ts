import type { PendingUpdate } from './types.js';

/**
 * Apple gives no classification. Operating-system, Safari and security
 * responses are the updates that carry security fixes; developer tools
 * and printer drivers are counted as other updates.
 */
const SECURITY_TITLES = /macos|os x|security|safari|xprotect/i;

/**
 * Parses `softwareupdate --list` (macOS 10.15 and later): a `* Label:`
 * line, then a tab-indented line of `Key: value, ` pairs. Undefined when
 * the output has neither entries nor the "No new software" notice, so the
 * caller does not read a failed run as "up to date".
 */
export function parseSoftwareUpdate(
  stdout: string,
  stderr: string,
): PendingUpdate[] | undefined {
  const updates: PendingUpdate[] = [];
  let label: string | undefined;

  for (const line of stdout.split('\n')) {
    const start = /^\* Label: (.+)$/.exec(line.trim());
    if (start?.[1]) {
      label = start[1];
      continue;
    }
    if (label && /^Title: /.test(line.trim())) {
      updates.push(toUpdate(label, fields(line.trim())));
      label = undefined;
    }
  }

  if (updates.length > 0) return updates;
  if (/No new software available/i.test(`${stdout}\n${stderr}`)) return [];
  return undefined;
}

function fields(line: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of line.split(/,\s*/)) {
    const at = part.indexOf(': ');
    if (at > 0) map.set(part.slice(0, at), part.slice(at + 2).trim());
  }
  return map;
}

function toUpdate(label: string, f: Map<string, string>): PendingUpdate {
  const title = f.get('Title') ?? label;
  const size = /^(\d+)\s*Ki?B$/i.exec(f.get('Size') ?? '');
  const version = f.get('Version');
  return {
    id: label,
    title,
    security: SECURITY_TITLES.test(`${label} ${title}`),
    ...(version ? { version } : {}),
    ...(size?.[1] ? { sizeBytes: Number(size[1]) * 1024 } : {}),
    ...(f.get('Action') === 'restart' ? { rebootBehavior: 1 } : {}),
  };
}
