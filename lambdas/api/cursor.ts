import { ApiError } from './responses.js';

/**
 * Page cursors: opaque to callers, base64url JSON to us. A cursor is only
 * ever a position (a key the next page starts after); the filters come
 * from the query again, and a cursor that does not decode is a 400.
 */
export function encodeCursor(position: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

export function decodeCursor(
  cursor: string | undefined,
): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    const valid =
      typeof value === 'object' &&
      value !== null &&
      Object.values(value).every((v) => typeof v === 'string');
    if (valid) return value as Record<string, string>;
  } catch {
    // falls through to the error below
  }
  throw new ApiError(400, 'invalid-cursor', 'the cursor is not one we gave');
}

/**
 * One page of a list in the order of `keyOf`: the items after the
 * cursor's key, `limit` of them, and the cursor of the next page when more
 * remain.
 */
export function pageOf<T>(
  all: readonly T[],
  keyOf: (item: T) => string,
  limit: number,
  cursor: string | undefined,
) {
  const keyed = all.map((item) => ({ item, key: keyOf(item) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const after = decodeCursor(cursor)?.after;
  const rest = after === undefined ? keyed : keyed.filter((k) => k.key > after);
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((k) => k.item),
    nextCursor:
      rest.length > limit && last ? encodeCursor({ after: last.key }) : null,
  };
}
