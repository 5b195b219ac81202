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

/** How many device details the page reads at once. */
const DETAIL_CONCURRENCY = 4;

/** Listing pages the page follows before it stops, 100 devices or more each. */
const MAX_PAGES = 50;

export function createApi({ baseUrl, token, fetchImpl = fetch }) {
  const get = async (path) => {
    const response = await fetchImpl(new URL(path, baseUrl), {
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

  /**
   * A route the API may not have yet answers 404 `route-not-found` (the
   * API's own) or a plain 404 (the gateway's): the page then does without.
   */
  const optional = async (path) => {
    try {
      return await get(path);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    }
  };

  return {
    get,
    optional,
    listDevices: () => listAll(get, '/devices', 'devices'),
    deviceDetails: (ids) =>
      mapLimit(ids, DETAIL_CONCURRENCY, (id) =>
        get(`/devices/${encodeURIComponent(id)}`),
      ),
  };
}

/** Every item of a listing, following `nextToken` while the API gives one. */
async function listAll(get, path, key) {
  const items = [];
  let next;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = next ? `?nextToken=${encodeURIComponent(next)}` : '';
    const body = await get(`${path}${query}`);
    items.push(...(body[key] ?? []));
    next = body.nextToken;
    if (!next) break;
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
