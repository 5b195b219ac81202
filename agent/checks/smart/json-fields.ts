/**
 * Defensive readers for JSON documents whose shape we do not control: each
 * returns undefined instead of throwing when a field is missing or has an
 * unexpected type.
 */
export type Json = Record<string, unknown>;

export function obj(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Json)
    : undefined;
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value)
    ? value
    : undefined;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** Reads a dotted path (`smartctl.exit_status`) through nested objects. */
export function at(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const key of path.split('.')) {
    const o = obj(node);
    if (!o) return undefined;
    node = o[key];
  }
  return node;
}

const MAX_COUNT = 2 ** 32;

/**
 * A raw attribute value read as a count. smartctl prints plain counters as
 * a bare integer; anything else (`180 (Average 187)`, `0 0 0`, or a 48-bit
 * number far beyond any plausible count) is vendor-packed and yields
 * undefined, except for a leading count followed by a parenthesis.
 */
export function rawCount(
  value: number | undefined,
  text: string | undefined,
): number | undefined {
  const t = (text ?? '').trim();

  if (/^\d+$/.test(t)) {
    const n = Number(t);
    return n < MAX_COUNT ? n : undefined;
  }
  const lead = /^(\d+)\s+\(/.exec(t);
  if (lead?.[1]) return Number(lead[1]);
  if (t === '' && value !== undefined && value < MAX_COUNT) return value;

  return undefined;
}
