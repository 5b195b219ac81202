/**
 * The public HTTP API, as the page calls it: every request carries the
 * technician's bearer token; errors come back as `{error: {code, message}}`.
 */

/** An API answer other than 2xx, with the API's stable error code. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/**
 * The URL of an API path below the base: `/devices` under
 * `https://site/api/` is `https://site/api/devices`, not the site's root.
 */
export function apiUrl(baseUrl, path) {
  const base = String(baseUrl).replace(/\/?$/, '/');
  return new URL(path.replace(/^\/+/, ''), base);
}

/** How many device details the page reads at once. */
const DETAIL_CONCURRENCY = 4;

/** Items per listing page: the most the API's listings give. */
const PAGE_SIZE = 500;

/** Pages the page reads of one listing before it stops. */
const MAX_PAGES = 50;

export function createApi({ baseUrl, token, fetchImpl = fetch }) {
  const get = async (path) => {
    const response = await fetchImpl(apiUrl(baseUrl, path), {
      headers: {
        accept: 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      cache: 'no-store',
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new ApiError(
        response.status,
        body?.error?.code ?? `http-${response.status}`,
        body?.error?.message ?? body?.message ?? response.statusText,
      );
    }
    return body;
  };

  return {
    get,
    /** A route the API may not have: its body, or undefined on 404. */
    optional: (path) => absentOn404(get(path)),
    listDevices: () => listAll(get, '/devices', 'devices'),
    /** Every unresolved finding in view, or undefined without the route. */
    listFindings: () => absentOn404(listAll(get, '/findings', 'findings')),
    deviceDetails: (ids) =>
      mapLimit(ids, DETAIL_CONCURRENCY, (id) =>
        get(`/devices/${encodeURIComponent(id)}`),
      ),
  };
}

/**
 * A route the API does not have yet answers 404, from the API itself
 * (`route-not-found`) or from the gateway: the page then does without.
 */
function absentOn404(promise) {
  return promise.catch((error) => {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  });
}

/**
 * Every item of a listing, page by page: the API answers `nextCursor`
 * until the last page, and takes it back as `cursor`.
 */
async function listAll(get, path, key) {
  const items = [];
  let cursor;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (cursor) query.set('cursor', cursor);
    const body = await get(`${path}?${query}`);
    items.push(...(body[key] ?? []));
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return items;
}

/** Runs `work` over `items`, at most `limit` at a time, results in order. */
async function mapLimit(items, limit, work) {
  const results = new Array(items.length);
  let at = 0;
  const worker = async () => {
    while (at < items.length) {
      const i = at++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}
