/**
 * Where the page keeps the technician's token: sessionStorage, so it lives
 * as long as the tab and is never sent anywhere but the API's
 * Authorization header. Nothing else is stored.
 */
const TOKEN_KEY = 'upkeep.dashboard.token';

export function readToken() {
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/** Keeps a pasted token, without the whitespace a paste brings along. */
export function keepToken(raw) {
  const token = String(raw)
    .trim()
    .replace(/^Bearer\s+/i, '');
  sessionStorage.setItem(TOKEN_KEY, token);
  return token;
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * The API's base URL: `apiUrl` from config.json beside the page, relative
 * to the page (`/api/` behind CloudFront) or absolute; empty means the
 * page's own origin, where the local stack serves the API.
 */
export async function apiBaseUrl() {
  const response = await fetch(new URL('config.json', document.baseURI), {
    cache: 'no-store',
  }).catch(() => undefined);
  if (response?.ok) {
    const config = await response.json().catch(() => ({}));
    if (typeof config.apiUrl === 'string' && config.apiUrl !== '') {
      return new URL(config.apiUrl, document.baseURI);
    }
  }
  return new URL('/', document.baseURI);
}
