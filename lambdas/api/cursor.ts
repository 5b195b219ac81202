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
 * One page of a sorted list: the items after the cursor's key, `limit` of
 * them, and the cursor of the next page when more remain.
 */
export function pageOf<T>(
  sorted: readonly T[],
  keyOf: (item: T) => string,
  limit: number,
  cursor: string | undefined,
) {
  const after = decodeCursor(cursor)?.after;
  const start =
    after === undefined ? 0 : sorted.findIndex((i) => keyOf(i) > after);
  const rest = start < 0 ? [] : sorted.slice(start);
  const items = rest.slice(0, limit);
  const last = items.at(-1);
  const nextCursor =
    rest.length > limit && last ? encodeCursor({ after: keyOf(last) }) : null;
  return { items, nextCursor };
}
